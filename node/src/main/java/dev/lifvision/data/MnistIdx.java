package dev.lifvision.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reader for the MNIST IDX files (idx3 unsigned-byte images, idx1 unsigned-byte labels), gzipped or raw. */
public final class MnistIdx {
    static final int IMAGES_MAGIC = 2051, LABELS_MAGIC = 2049;
    static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private MnistIdx() {}

    /** Reads an image file and its label file; each may be gzipped (detected by magic bytes 1f 8b) or raw. */
    public static ImageSet read(Path images, Path labels) throws IOException {
        byte[] img = Streams.readAll(images);
        byte[] lab = Streams.readAll(labels);
        int[] imgHeader = header(images, img, IMAGES_MAGIC, 3);
        int[] labHeader = header(labels, lab, LABELS_MAGIC, 1);
        int n = imgHeader[0], rows = imgHeader[1], cols = imgHeader[2];
        if (labHeader[0] != n) {
            throw new DatasetException(images + " holds " + n + " images but " + labels + " holds " + labHeader[0] + " labels");
        }
        checkLength(images, img.length, 16, (long) n * rows * cols, n + " images of " + rows + "x" + cols);
        checkLength(labels, lab.length, 8, n, n + " labels");
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lab[8 + i] & 0xFF;
            if (y[i] >= CLASS_NAMES.size()) {
                throw new DatasetException(labels + ": label " + i + " is " + y[i] + ", MNIST labels are 0..9");
            }
        }
        byte[] pixels = Arrays.copyOfRange(img, 16, img.length);
        return new ImageSet(images.toString(), CLASS_NAMES, rows, cols, 1, pixels, y);
    }

    /** Checks magic and returns the dimension sizes that follow it. */
    private static int[] header(Path file, byte[] data, int magic, int dims) throws DatasetException {
        int headerLength = 4 + 4 * dims;
        ByteBuffer buf = ByteBuffer.wrap(data); // IDX is big-endian, ByteBuffer's default
        if (data.length < 4) throw new DatasetException(file + ": " + data.length + " bytes, too short for an IDX file");
        int found = buf.getInt();
        if (found != magic) {
            throw new DatasetException(file + ": IDX magic number is " + found + " (0x" + Integer.toHexString(found)
                    + "), expected " + magic + " (" + (magic == IMAGES_MAGIC ? "unsigned-byte images, 3 dims" : "unsigned-byte labels, 1 dim")
                    + "); is this the right file?");
        }
        if (data.length < headerLength) {
            throw new DatasetException(file + ": " + data.length + " bytes, too short for an IDX header (" + headerLength + " bytes)");
        }
        int[] sizes = new int[dims];
        for (int d = 0; d < dims; d++) {
            sizes[d] = buf.getInt();
            if (sizes[d] < 0 || (d > 0 && sizes[d] == 0)) {
                throw new DatasetException(file + ": bad IDX dimension " + d + " = " + sizes[d]);
            }
        }
        return sizes;
    }

    private static void checkLength(Path file, int actual, int header, long body, String what) throws DatasetException {
        long expected = header + body;
        if (actual != expected) {
            throw new DatasetException(file + ": " + (actual < expected ? "truncated" : "has trailing data") + ": header says "
                    + what + ", so " + expected + " bytes (decompressed) expected, but the file has " + actual);
        }
    }
}
