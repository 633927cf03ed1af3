package dev.lifvision.trainer;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The small MNIST architecture, one epoch on 2,000 real MNIST images; skipped loudly without the dataset. */
class TrainerMnistTest {
    @TempDir
    Path dir;

    @Test
    void oneEpochOnTwoThousandImagesReachesNinetyPercent() throws Exception {
        Path mnist = Path.of(System.getProperty("lifvision.datasets", "../shared/datasets")).resolve("mnist");
        if (!Files.isDirectory(mnist)) {
            System.err.println("SKIPPED: MNIST not found at " + mnist.toAbsolutePath() + " (set -Dlifvision.datasets)");
        }
        Assumptions.assumeTrue(Files.isDirectory(mnist), "MNIST not found at " + mnist);
        Dl4jSetup.enableOneDnnHelpers();
        Path out = dir.resolve("small.lifb");
        StringWriter log = new StringWriter();
        long t0 = System.nanoTime();
        var r = new Trainer(new PrintWriter(log, true)).train(Architecture.resolve("mnist-small"), "mnist:" + mnist,
                new Trainer.Options(out, dir.resolve("small.work"), false, false, 1, null, 2000, 200, "float32",
                        Integer.MAX_VALUE));
        double minutes = (System.nanoTime() - t0) / 60e9;
        System.err.printf("mnist-small, 1 epoch on 1,800 + 200 images: test accuracy %.2f %% in %.1f min%n",
                100 * r.testAccuracy(), minutes);
        assertTrue(r.testAccuracy() >= 0.90, "test accuracy " + r.testAccuracy() + "\n" + log);
    }
}
