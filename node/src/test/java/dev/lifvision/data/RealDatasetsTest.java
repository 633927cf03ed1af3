package dev.lifvision.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Reads the real datasets from -Dlifvision.datasets (Maven sets it); skips loudly when they are not there. */
class RealDatasetsTest {
    static final Path ROOT = Path.of(System.getProperty("lifvision.datasets", "../shared/datasets")).toAbsolutePath().normalize();

    private static void assumePresent(String what, Path p) {
        if (!Files.exists(p)) System.err.println("SKIPPED: " + what + " not found at " + p + " (set -Dlifvision.datasets=DIR)");
        Assumptions.assumeTrue(Files.exists(p), what + " not found at " + p);
    }

    private static int[] counts(ImageSet set) {
        int[] c = new int[set.classNames().size()];
        for (int l : set.labels()) c[l]++;
        return c;
    }

    @Test
    void mnistTestSplit() throws Exception {
        Path dir = ROOT.resolve("mnist");
        assumePresent("MNIST", dir.resolve("t10k-images-idx3-ubyte.gz"));
        long t0 = System.nanoTime();
        ImageSet set = Datasets.load("mnist:" + dir, Split.TEST, null);
        System.out.printf("MNIST test read in %.2f s: %s%n", (System.nanoTime() - t0) / 1e9, set);
        assertEquals(10_000, set.size());
        assertEquals(28, set.height());
        assertEquals(28, set.width());
        assertEquals(1, set.channels());
        assertEquals(10_000, java.util.Arrays.stream(counts(set)).sum());
        assertEquals(7, set.label(0)); // the well-known first test digit
    }

    @Test
    void cifar10TestSplitFromJpegArchive() throws Exception {
        Path archive = ROOT.resolve(Datasets.CIFAR_ARCHIVE);
        assumePresent("CIFAR-10 archive", archive);
        long t0 = System.nanoTime();
        ImageSet set = Datasets.load("cifar10:" + archive, Split.TEST, null);
        System.out.printf("CIFAR-10 test read in %.2f s: %s%n", (System.nanoTime() - t0) / 1e9, set);
        assertEquals(10_000, set.size());
        assertEquals(32, set.height());
        assertEquals(32, set.width());
        assertEquals(3, set.channels());
        assertEquals(Cifar10Binary.CLASS_NAMES, set.classNames()); // folder order = the binary version's label order
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, counts(set));
        // channel order: CIFAR-10's mean colour is red > green > blue (about 125, 123, 114)
        double[] mean = new double[3];
        byte[] px = set.pixels();
        for (int i = 0; i < px.length; i++) mean[i % 3] += px[i] & 0xFF;
        assertTrue(mean[0] > mean[1] && mean[1] > mean[2], java.util.Arrays.toString(mean));
    }
}
