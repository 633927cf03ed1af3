package dev.lifvision.trainer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lifvision.bundle.Bundle;
import dev.lifvision.network.Backends;
import dev.lifvision.network.FrameResult;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import dev.lifvision.network.Simulator;
import dev.lifvision.bundle.NeuronSpec;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The trainer's locally connected layer computes what the node's does: a network with two of them
 * (non-square map, stride 2 in one, padding) exported to a bundle gives the node's rate backend the
 * same outputs as DL4J on the same inputs, and the layer survives a checkpoint.
 */
class LocallyConnectedLayerTest {
    private static final String ARCH = """
            name: local-check
            input: {height: 10, width: 8, channels: 3, flip: false}
            neuron: {type: softlif, tau_rc: 0.02, tau_ref: 0.002, gain: 1, amplitude: 0.063, gamma: 0.02, noise_sigma: 10}
            layers:
              - {type: conv2d, filters: 4, kernel: 3, padding: 1}
              - {type: locally_connected, filters: 5, kernel: 3, padding: 1}
              - {type: locally_connected, filters: 3, kernel: 3, stride: 2}
              - {type: output}
            training: {optimizer: adam, learning_rate: 0.001, batch: 4, epochs: 1, seed: 5}
            """;

    @Test
    void exportedNetworkMatchesDl4jAndSurvivesACheckpoint(@TempDir Path dir) throws Exception {
        Dl4jSetup.enableOneDnnHelpers();
        Architecture arch = Architecture.parse(new ByteArrayInputStream(ARCH.getBytes(StandardCharsets.UTF_8)), "test");
        List<String> labels = List.of("a", "b", "c", "d");
        MultiLayerNetwork net = NetworkFactory.build(arch, labels.size());
        // biases are zero at init: give every parameter a value so a misplaced one shows
        Nd4j.getRandom().setSeed(11);
        INDArray p = Nd4j.randn(DataType.FLOAT, net.params().shape()).muli(0.5);
        net.setParams(p);

        int n = 6, h = 10, w = 8, c = 3;
        INDArray x = Nd4j.rand(DataType.FLOAT, n, c, h, w).muli(4).subi(1);
        INDArray dl4j = net.output(x, false);

        Bundle b = BundleExporter.export(net, arch, labels, null, "float32", JsonNodeFactory.instance.objectNode());
        assertEquals("locally_connected", b.manifest().layers().get(1).type());
        Network node = Network.of(b);
        Simulator rate = Backends.create("rate", node, SimOptions.of(b.manifest().simulation()));
        FrameResult r = rate.newResult();
        float[] in = new float[h * w * c];
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        in[(y * w + xx) * c + ch] = x.getFloat(i, ch, y, xx);
                    }
                }
            }
            rate.present(in, r);
            double[] soft = softmax(r.output);
            for (int k = 0; k < labels.size(); k++) {
                worst = Math.max(worst, Math.abs(soft[k] - dl4j.getDouble(i, k)));
            }
        }
        assertTrue(worst < 1e-4, "largest softmax difference node vs DL4J: " + worst);

        Path zip = dir.resolve("local.zip");
        ModelSerializer.writeModel(net, zip.toFile(), true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(zip.toFile());
        assertEquals(net.params(), back.params());
        assertEquals(dl4j, back.output(x, false));
    }

    @Test
    void gradientCheckDouble() {
        DataType[] saved = {Nd4j.dataType(), Nd4j.defaultFloatingPointType()};
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                    .list()
                    // a layer below it, so the gradient it passes down is checked too
                    .layer(new ConvolutionLayer.Builder(1, 1).nOut(2).activation(Activation.TANH).build())
                    .layer(new LocallyConnectedLayer(3, 3, 2, 1))
                    .layer(new ActivationLayer.Builder().activation(SoftLifActivation.of(NeuronSpec.cifar(), 0.0)).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutional(5, 4, 2))
                    .build());
            net.init();
            Nd4j.getRandom().setSeed(7);
            net.setParams(Nd4j.randn(DataType.DOUBLE, net.params().shape()).muli(0.5));
            INDArray in = Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 4).muli(3);
            INDArray labels = Nd4j.zeros(DataType.DOUBLE, 3, 3);
            for (int i = 0; i < 3; i++) {
                labels.putScalar(i, i % 3, 1.0);
            }
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(in)
                    .labels(labels).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false)));
        } finally {
            Nd4j.setDefaultDataTypes(saved[0], saved[1]);
        }
    }

    private static double[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }
}
