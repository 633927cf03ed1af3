package dev.lifvision.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reader for the CIFAR-10 binary version: records of 3073 bytes, one label byte followed by the
 * 32x32 image as 1024 red, 1024 green and 1024 blue bytes (planar), converted here to channels-last RGB.
 */
public final class Cifar10Binary {
    static final int SIDE = 32, PLANE = SIDE * SIDE, RECORD = 1 + 3 * PLANE;
    static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private Cifar10Binary() {}

    /** Reads the batches in the given order (e.g. data_batch_1..5.bin); files may be gzipped. */
    public static ImageSet read(List<Path> batchFiles, List<String> classNames) throws IOException {
        if (batchFiles.isEmpty()) throw new DatasetException("no CIFAR-10 batch files given");
        byte[][] batches = new byte[batchFiles.size()][];
        long total = 0;
        for (int b = 0; b < batches.length; b++) {
            Path file = batchFiles.get(b);
            batches[b] = Streams.readAll(file);
            if (batches[b].length % RECORD != 0) {
                throw new DatasetException(file + ": " + batches[b].length + " bytes is not a multiple of the "
                        + RECORD + "-byte CIFAR-10 record (1 label + 3x32x32 pixels); truncated or not a CIFAR-10 batch?");
            }
            total += batches[b].length / RECORD;
        }
        if (total * 3 * PLANE > Integer.MAX_VALUE) throw new DatasetException(batchFiles + ": too many images for one array");
        int n = (int) total;
        byte[] pixels = new byte[n * 3 * PLANE];
        int[] labels = new int[n];
        int i = 0;
        for (int b = 0; b < batches.length; b++) {
            byte[] data = batches[b];
            for (int r = 0; r < data.length / RECORD; r++, i++) {
                int rec = r * RECORD;
                labels[i] = data[rec] & 0xFF;
                if (labels[i] >= classNames.size()) {
                    throw new DatasetException(batchFiles.get(b) + ": label of record " + r + " is " + labels[i]
                            + ", outside 0.." + (classNames.size() - 1));
                }
                int out = i * 3 * PLANE;
                for (int p = 0; p < PLANE; p++) { // planar RRR..GGG..BBB -> interleaved RGBRGB..
                    pixels[out + 3 * p] = data[rec + 1 + p];
                    pixels[out + 3 * p + 1] = data[rec + 1 + PLANE + p];
                    pixels[out + 3 * p + 2] = data[rec + 1 + 2 * PLANE + p];
                }
            }
        }
        return new ImageSet(batchFiles.get(0) + (batchFiles.size() > 1 ? " (+" + (batchFiles.size() - 1) + " more batches)" : ""),
                classNames, SIDE, SIDE, 3, pixels, labels);
    }

    /** Class names from batches.meta.txt (one per line) when present, else the standard ten. */
    static List<String> classNames(Path dir) throws IOException {
        Path meta = dir.resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) return CLASS_NAMES;
        List<String> names = Files.readAllLines(meta).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) throw new DatasetException(meta + ": no class names in it");
        return names;
    }
}
