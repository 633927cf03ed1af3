package dev.lifvision.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifvision.bundle.NeuronSpec;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SoftLifNetworkTest {

    private static MultiLayerConfiguration smallConvNet(SoftLifActivation act, DataType dt) {
        return new NeuralNetConfiguration.Builder()
                .seed(12345).dataType(dt).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(act).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(6).activation(act).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 1))
                .build();
    }

    @Test
    void gradientCheckDouble() {
        DataType[] saved = {Nd4j.dataType(), Nd4j.defaultFloatingPointType()};
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (NeuronSpec spec : new NeuronSpec[] {NeuronSpec.mnist(), NeuronSpec.cifar()}) {
                MultiLayerNetwork net = new MultiLayerNetwork(smallConvNet(SoftLifActivation.of(spec, 0.0),
                        DataType.DOUBLE));
                net.init();
                Nd4j.getRandom().setSeed(7);
                INDArray in = Nd4j.rand(DataType.DOUBLE, 4, 1, 6, 6);
                INDArray labels = Nd4j.zeros(DataType.DOUBLE, 4, 3);
                for (int i = 0; i < 4; i++) {
                    labels.putScalar(i, i % 3, 1.0);
                }
                boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                        .input(in).labels(labels).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
                assertTrue(ok, "gradient check for " + spec);
            }
        } finally {
            Nd4j.setDefaultDataTypes(saved[0], saved[1]);
        }
    }

    @Test
    void jsonRoundTrip() {
        SoftLifActivation act = new SoftLifActivation("lif", 0.05, 0.001, 0.825, 1.0, 0.063, 0.0, 20.0);
        MultiLayerConfiguration conf = smallConvNet(act, DataType.FLOAT);
        String json = conf.toJson();
        assertTrue(json.contains(SoftLifActivation.class.getName()), json);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        Object backAct = ((DenseLayer) back.getConf(2).getLayer()).getActivationFn();
        assertEquals(act, backAct);
        assertEquals(json, back.toJson());
        SoftLifActivation spikes = new SoftLifActivation("softlif", 0.05, 0.001, 0.825, 1.0, 0.063, 0.02, 10.0,
                "spikes:alpha:0.005");
        assertEquals(spikes, ((DenseLayer) MultiLayerConfiguration.fromJson(smallConvNet(spikes, DataType.FLOAT).toJson())
                .getConf(2).getLayer()).getActivationFn(), "the noise model survives a checkpoint");
        assertEquals(new SoftLifActivation(), MultiLayerConfiguration.fromJson(
                smallConvNet(new SoftLifActivation(), DataType.FLOAT).toJson()).getConf(0).getLayer() instanceof
                ConvolutionLayer c ? c.getActivationFn() : null);
    }

    /**
     * DL4J creates a layer's oneDNN helper only with helpers.disable=false AND a passing BaseMKLDNNHelper check,
     * which needs the org.nd4j.nativeblas.Nd4jCpu adapter.
     */
    @Test
    void oneDnnHelperAttachesWithAdapter() {
        String key = "org.eclipse.deeplearning4j.helpers.disable";
        String old = System.getProperty(key);
        try {
            System.clearProperty(key);
            MultiLayerNetwork off = new MultiLayerNetwork(smallConvNet(new SoftLifActivation(), DataType.FLOAT));
            off.init();
            assertNull(((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) off.getLayer(0)).getHelper(),
                    "helpers are off by default");

            System.setProperty(key, "false");
            assertTrue(BaseMKLDNNHelper.mklDnnEnabled(), "oneDNN check passes through the adapter");
            MultiLayerNetwork on = new MultiLayerNetwork(smallConvNet(new SoftLifActivation(), DataType.FLOAT));
            on.init();
            assertNotNull(((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) on.getLayer(0)).getHelper());
            // and the helper gives the same outputs as the built-in implementation
            on.setParams(off.params());
            INDArray in = Nd4j.rand(DataType.FLOAT, 2, 1, 6, 6);
            INDArray a = off.output(in), b = on.output(in);
            assertTrue(a.equalsWithEps(b, 1e-5), a + " vs " + b);
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
    }
}
