package dev.lifvision.cli;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.eval.EvalResult;
import dev.lifvision.eval.Evaluator;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The default model ships inside the node and loads by name. */
class ShippedModelTest {
    @Test
    void mnistLoadsByNameAndIsSmall() throws Exception {
        Bundle b = Models.load("mnist");
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), b.manifest().labels());
        assertEquals("mnist-paper", b.manifest().provenance().path("architecture").asText());
        try (var in = Models.class.getResourceAsStream("/models/mnist.lifb")) {
            assertTrue(in.readAllBytes().length < 10_000_000, "shipped bundles stay under 10 MB");
        }
    }

    @Test
    void mnistClassifiesRealDigits() throws Exception {
        Path mnist = Path.of(System.getProperty("lifvision.datasets", "../shared/datasets")).resolve("mnist");
        if (!Files.isDirectory(mnist)) {
            System.err.println("SKIPPED: MNIST not found at " + mnist.toAbsolutePath() + " (set -Dlifvision.datasets)");
        }
        Assumptions.assumeTrue(Files.isDirectory(mnist), "MNIST not found at " + mnist);
        Bundle b = Models.load("mnist");
        Network net = Network.of(b);
        ImageSet test = Datasets.load("mnist:" + mnist, Split.TEST, null).limit(1000);
        EvalResult r = new Evaluator(net, "rate", SimOptions.of(b.manifest().simulation()), () -> Preprocessor.of(b))
                .run(test, Evaluator.labelMap(test.classNames(), net.labels()), 2, null);
        System.err.printf("shipped mnist model, rate backend, first 1000 MNIST test images: %.2f %% error%n",
                100 * r.errorRate());
        assertTrue(r.errorRate() < 0.02, "error " + r.errorRate());
    }

    @Test
    void cifar10LoadsByNameAndClassifiesTheFixtureAboveChance() throws Exception {
        Bundle b = Models.load("cifar10");
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
                b.manifest().labels());
        assertEquals("cifar10-conv", b.manifest().provenance().path("architecture").asText());
        try (var in = Models.class.getResourceAsStream("/models/cifar10.lifb")) {
            assertTrue(in.readAllBytes().length < 10_000_000, "shipped bundles stay under 10 MB");
        }
        // 200 committed CIFAR-10 test images; the model's test-set error is about 31 % (BENCHMARKS.md)
        Path fixture = Path.of("src/test/resources/fixtures/cifar10-200/test");
        ImageSet set = Datasets.load("folder:" + fixture, Split.TEST, null);
        Network net = Network.of(b);
        EvalResult r = new Evaluator(net, "rate", SimOptions.of(b.manifest().simulation()), () -> Preprocessor.of(b))
                .run(set, Evaluator.labelMap(set.classNames(), net.labels()), 2, null);
        System.err.printf("shipped cifar10 model, rate backend, 200 fixture images: %.1f %% error%n", 100 * r.errorRate());
        assertTrue(r.errorRate() < 0.5, "error " + r.errorRate());
    }
}
