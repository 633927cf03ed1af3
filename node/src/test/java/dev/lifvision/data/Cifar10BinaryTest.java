package dev.lifvision.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10BinaryTest {
    @TempDir Path dir;

    /** Records with the given labels; image r has, at row 1 col 2, R = 10 + r, G = 20 + r, B = 30 + r, zero elsewhere. */
    static byte[] batch(int... labels) {
        byte[] data = new byte[labels.length * 3073];
        for (int r = 0; r < labels.length; r++) {
            int rec = r * 3073, p = 32 + 2;
            data[rec] = (byte) labels[r];
            data[rec + 1 + p] = (byte) (10 + r);
            data[rec + 1 + 1024 + p] = (byte) (20 + r);
            data[rec + 1 + 2048 + p] = (byte) (30 + r);
        }
        return data;
    }

    @Test
    void planarRecordsBecomeChannelsLastRgb() throws Exception {
        Path a = Fixtures.write(dir.resolve("a.bin"), batch(3, 9));
        Path b = Fixtures.write(dir.resolve("b.bin"), batch(0));
        ImageSet set = Cifar10Binary.read(List.of(a, b), Cifar10Binary.CLASS_NAMES);
        assertEquals(3, set.size());
        assertEquals(32, set.height());
        assertEquals(3, set.channels());
        assertArrayEquals(new int[] {3, 9, 0}, set.labels());
        float[] img = new float[set.imageSize()];
        set.copyPixels(1, img);
        int at = (1 * 32 + 2) * 3;
        assertArrayEquals(new float[] {11, 21, 31}, Arrays.copyOfRange(img, at, at + 3));
        assertEquals(0f, img[at + 3]);
        set.copyPixels(2, img); // first record of the second batch
        assertArrayEquals(new float[] {10, 20, 30}, Arrays.copyOfRange(img, at, at + 3));
    }

    @Test
    void lengthNotMultipleOfRecordIsClearError() throws Exception {
        Path bad = Fixtures.write(dir.resolve("test_batch.bin"), Arrays.copyOf(batch(1, 2), 3073 + 100));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Binary.read(List.of(bad), Cifar10Binary.CLASS_NAMES));
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("3173") && e.getMessage().contains("3073"), e.getMessage());
    }

    @Test
    void labelOutOfRange() throws Exception {
        Path bad = Fixtures.write(dir.resolve("b.bin"), batch(1, 10));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Binary.read(List.of(bad), Cifar10Binary.CLASS_NAMES));
        assertTrue(e.getMessage().contains("record 1 is 10"), e.getMessage());
    }

    @Test
    void datasetsReadsBatchesWithMetaClassNames() throws Exception {
        Path bin = dir.resolve("cifar-10-batches-bin");
        for (int i = 1; i <= 5; i++) Fixtures.write(bin.resolve("data_batch_" + i + ".bin"), batch(i));
        Fixtures.write(bin.resolve("test_batch.bin"), batch(2, 2));
        Files.writeString(bin.resolve("batches.meta.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n");
        ImageSet train = Datasets.load("cifar10:" + dir, Split.TRAIN, null);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, train.labels());
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), train.classNames());
        assertEquals(2, Datasets.load("cifar10:" + bin, Split.TEST, null).size());

        Files.delete(bin.resolve("data_batch_4.bin"));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load("cifar10:" + dir, Split.TRAIN, null));
        assertTrue(e.getMessage().contains("data_batch_4.bin"), e.getMessage());
    }

    @Test
    void datasetsListsWhatItLookedFor() throws Exception {
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load("cifar10:" + dir, Split.TEST, null));
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("cifar-10-batches-bin")
                && e.getMessage().contains("cifar10-jpg.tar.gz"), e.getMessage());
    }
}
