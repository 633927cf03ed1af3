package dev.lifvision.eval;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.network.Network;
import dev.lifvision.network.RandomFeatures;
import dev.lifvision.network.RandomNetworks;
import dev.lifvision.network.SimOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** A network built in code, evaluated on the real MNIST test images; skipped loudly without the dataset. */
class RealMnistEvalTest {
    @Test
    void spikingMatchesRateOnRealMnist() throws Exception {
        Path mnist = Path.of(System.getProperty("lifvision.datasets", "../shared/datasets")).resolve("mnist");
        if (!Files.isDirectory(mnist)) {
            System.err.println("SKIPPED: MNIST not found at " + mnist.toAbsolutePath() + " (set -Dlifvision.datasets)");
        }
        Assumptions.assumeTrue(Files.isDirectory(mnist), "MNIST not found at " + mnist);
        ImageSet train = Datasets.load("mnist:" + mnist, Split.TRAIN, null).limit(6000);
        ImageSet test = Datasets.load("mnist:" + mnist, Split.TEST, null).limit(1000);
        var in = RandomNetworks.mnistInput();
        Preprocessor pre = new Preprocessor(in, null);
        float[][] x = new float[train.size()][784];
        for (int i = 0; i < x.length; i++) {
            pre.apply(train.pixels(), i * 784, 28, 28, 1, x[i]);
        }
        Bundle b = RandomFeatures.fit("rf", in, train.classNames(), x, train.labels(), 400,
                NeuronSpec.lif(0.022, 0.002, 1, 0.063), 3, 1e-4, 1);
        Network net = Network.of(b);
        SimOptions opt = SimOptions.of(b.manifest().simulation());
        int[] map = Evaluator.labelMap(test.classNames(), net.labels());
        EvalResult rate = new Evaluator(net, "rate", opt, () -> new Preprocessor(in, null)).run(test, map, 2, null);
        EvalResult spiking = new Evaluator(net, "spiking", opt, () -> new Preprocessor(in, null)).run(test, map, 2, null);
        System.err.printf("random-feature net on 1000 MNIST test images: rate %.1f %%, spiking %.1f %%%n",
                100 * rate.errorRate(), 100 * spiking.errorRate());
        assertTrue(rate.errorRate() < 0.15, "rate error " + rate.errorRate());
        assertEquals(rate.errorRate(), spiking.errorRate(), 0.015, "spiking within 1.5 points of rate");
        assertEquals(1000, spiking.frames);
        assertTrue(spiking.spikesPerLayer[0] > 0 && spiking.synapticEvents > 0);
    }
}
