package dev.lifvision.trainer;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The small MNIST architecture, one epoch on 2,000 real MNIST images, with either training noise;
 * skipped loudly without the dataset.
 */
class TrainerMnistTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {SoftLifActivation.NOISE_GAUSSIAN, "spikes:alpha:0.005"})
    void oneEpochOnTwoThousandImagesReachesNinetyPercent(String noise) throws Exception {
        Path mnist = Path.of(System.getProperty("lifvision.datasets", "../shared/datasets")).resolve("mnist");
        if (!Files.isDirectory(mnist)) {
            System.err.println("SKIPPED: MNIST not found at " + mnist.toAbsolutePath() + " (set -Dlifvision.datasets)");
        }
        Assumptions.assumeTrue(Files.isDirectory(mnist), "MNIST not found at " + mnist);
        Dl4jSetup.enableOneDnnHelpers();
        Path out = dir.resolve("small.lifb");
        StringWriter log = new StringWriter();
        long t0 = System.nanoTime();
        Architecture a = Architecture.resolve("mnist-small");
        Architecture.Neuron n = a.neuron();
        a = new Architecture(a.name(), a.description(), a.input(), new Architecture.Neuron(n.type(), n.tauRc(),
                n.tauRef(), n.gain(), n.amplitude(), n.gamma(), n.noiseSigma(), noise), a.layers(), a.training(),
                a.simulation());
        var r = new Trainer(new PrintWriter(log, true)).train(a, "mnist:" + mnist,
                new Trainer.Options(out, dir.resolve("small.work"), false, false, 1, null, 2000, 200, "float32",
                        Integer.MAX_VALUE));
        double minutes = (System.nanoTime() - t0) / 60e9;
        System.err.printf("mnist-small, noise %s, 1 epoch on 1,800 + 200 images: test accuracy %.2f %% in %.1f min%n",
                noise, 100 * r.testAccuracy(), minutes);
        assertTrue(r.testAccuracy() >= 0.90, "test accuracy " + r.testAccuracy() + "\n" + log);
    }
}
