package dev.lifvision.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MnistIdxTest {
    @TempDir Path dir;

    // 3 images of 2x4 with pixel k of image i = 10*i + k, last pixel 255 to catch signed-byte mistakes
    static final byte[] PIXELS = new byte[3 * 8];
    static final byte[] LABELS = {7, 0, 9};
    static {
        for (int i = 0; i < PIXELS.length; i++) PIXELS[i] = (byte) (10 * (i / 8) + i % 8);
        PIXELS[PIXELS.length - 1] = (byte) 255;
    }

    private Path images(String name, boolean gz, byte[] idx) throws Exception {
        return Fixtures.write(dir.resolve(name), gz ? Fixtures.gzip(idx) : idx);
    }

    private static byte[] imageIdx() { return Fixtures.idx(2051, new int[] {3, 2, 4}, PIXELS); }
    private static byte[] labelIdx() { return Fixtures.idx(2049, new int[] {3}, LABELS); }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void roundTripsGzippedAndRaw(boolean gz) throws Exception {
        // names without .gz even when gzipped: detection is by magic bytes
        ImageSet set = MnistIdx.read(images("img", gz, imageIdx()), images("lab", gz, labelIdx()));
        assertEquals(3, set.size());
        assertEquals(2, set.height());
        assertEquals(4, set.width());
        assertEquals(1, set.channels());
        assertArrayEquals(PIXELS, set.pixels());
        assertArrayEquals(new int[] {7, 0, 9}, set.labels());
        assertEquals(10, set.classNames().size());
        float[] img = new float[8];
        set.copyPixels(2, img);
        assertEquals(255f, img[7]);
        assertEquals(21f, img[1]);
    }

    @Test
    void truncatedImagesNameExpectedAndActualLength() throws Exception {
        byte[] idx = imageIdx();
        Path img = images("t10k-images-idx3-ubyte.gz", true, Arrays.copyOf(idx, idx.length - 5));
        DatasetException e = assertThrows(DatasetException.class, () -> MnistIdx.read(img, images("lab", false, labelIdx())));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("40 bytes") && e.getMessage().contains("has 35"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsDatasetException() throws Exception {
        byte[] gz = Fixtures.gzip(imageIdx());
        Path img = Fixtures.write(dir.resolve("img.gz"), Arrays.copyOf(gz, gz.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> MnistIdx.read(img, images("lab", false, labelIdx())));
        assertTrue(e.getMessage().contains("img.gz"), e.getMessage());
    }

    @Test
    void badMagicSaysWhatWasExpected() throws Exception {
        Path lab = images("lab", false, labelIdx());
        DatasetException e = assertThrows(DatasetException.class, () -> MnistIdx.read(lab, lab)); // labels given as images
        assertTrue(e.getMessage().contains("2049") && e.getMessage().contains("2051"), e.getMessage());
    }

    @Test
    void labelCountMismatch() throws Exception {
        Path lab = images("lab", false, Fixtures.idx(2049, new int[] {2}, new byte[] {1, 2}));
        DatasetException e = assertThrows(DatasetException.class, () -> MnistIdx.read(images("img", false, imageIdx()), lab));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesIndexAndValue() throws Exception {
        Path lab = images("lab", false, Fixtures.idx(2049, new int[] {3}, new byte[] {1, 12, 2}));
        DatasetException e = assertThrows(DatasetException.class, () -> MnistIdx.read(images("img", false, imageIdx()), lab));
        assertTrue(e.getMessage().contains("label 1 is 12"), e.getMessage());
    }

    @Test
    void datasetsFindsGzAndRawNamesPerSplit() throws Exception {
        images("train-images-idx3-ubyte.gz", true, imageIdx());
        images("train-labels-idx1-ubyte.gz", true, labelIdx());
        images("t10k-images-idx3-ubyte", false, Fixtures.idx(2051, new int[] {1, 2, 4}, new byte[8]));
        images("t10k-labels-idx1-ubyte", false, Fixtures.idx(2049, new int[] {1}, new byte[] {4}));
        int[] reported = {-1};
        ImageSet train = Datasets.load("mnist:" + dir, Split.TRAIN, n -> reported[0] = n);
        assertEquals(3, train.size());
        assertEquals(3, reported[0]);
        assertEquals("mnist:" + dir + " (train)", train.source());
        ImageSet test = Datasets.load("mnist:" + dir, Split.TEST, null);
        assertArrayEquals(new int[] {4}, test.labels());

        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load("mnist:" + dir, Split.TEST, null));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz"), e.getMessage());
    }
}
