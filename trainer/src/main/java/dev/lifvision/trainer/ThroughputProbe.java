package dev.lifvision.trainer;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Throughput probe (not a test): trains the paper's MNIST net (28x28x1 -> conv 16@5x5 same -> avgpool 2 s2 ->
 * conv 64@5x5 same -> avgpool 2 s2 -> dense 2000 -> dense 10 softmax; soft LIF everywhere but the output) on random
 * data, batch 128, Adam, and prints images/s and effective GFLOP/s (3 x forward FLOPs, 2 FLOPs per multiply-add).
 *
 * <p>Usage: {@code ThroughputProbe [helpers on|off] [batches] [warmup]}. "on" sets
 * {@code org.eclipse.deeplearning4j.helpers.disable=false} so DL4J attaches its oneDNN helpers (needs the
 * {@code org.nd4j.nativeblas.Nd4jCpu} adapter in this module).
 */
public final class ThroughputProbe {
    private ThroughputProbe() {
    }

    /** Forward FLOPs per image of the paper MNIST net with 'same' convs (matches the paper's ~23M). */
    static long forwardFlops() {
        long conv1 = 28L * 28 * 16 * (5 * 5 * 1);
        long conv2 = 14L * 14 * 64 * (5 * 5 * 16);
        long dense = 7L * 7 * 64 * 2000;
        long out = 2000L * 10;
        long pools = 14L * 14 * 16 * 4 + 7L * 7 * 64 * 4;
        return 2 * (conv1 + conv2 + dense + out) + pools;
    }

    static MultiLayerConfiguration paperMnist(SoftLifActivation act) {
        return new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same).cacheMode(CacheMode.DEVICE)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(act).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(64).activation(act).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(2000).activation(act).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
    }

    public static void main(String[] args) {
        boolean helpers = args.length > 0 && args[0].equals("on");
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int batch = 128;
        System.setProperty("org.eclipse.deeplearning4j.helpers.disable", helpers ? "false" : "true");

        MultiLayerNetwork net = new MultiLayerNetwork(paperMnist(new SoftLifActivation()));
        net.init();
        Object helper = ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) net.getLayer(0)).getHelper();

        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 10, 1.0);
        }
        DataSet ds = new DataSet(x, y);
        for (int i = 0; i < warmup; i++) {
            net.fit(ds);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            net.fit(ds);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double imgPerS = batches * (double) batch / s;
        double gflops = imgPerS * 3.0 * forwardFlops() / 1e9;
        System.out.printf("helpers=%s (conv helper: %s) batch=%d: %.3f s/batch, %.1f images/s, %.2f effective GFLOP/s"
                        + " (forward %.2f MFLOP/image x3), %.1f min per 60k-image epoch, score %.4f%n",
                helpers ? "on" : "off", helper == null ? "none" : helper.getClass().getSimpleName(), batch,
                s / batches, imgPerS, gflops, forwardFlops() / 1e6, 60000 / imgPerS / 60, net.score());
    }
}
