package dev.lifvision.trainer;

import dev.lifvision.bundle.InputSpec;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.encode.Preprocessor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Training data for fine-tuning on field captures: image folders whose pictures are full camera
 * frames (any size, RGB) are brought to the architecture's input size and colour exactly as the
 * node's {@link Preprocessor} brings a frame there (centre crop to the aspect, area-averaging
 * resize, grey = 0.299 R + 0.587 G + 0.114 B), one image at a time as it is decoded, so that a
 * thousand 320x240 captures take 0.8 MB as 28x28 grey instead of 230 MB.
 *
 * <p>A capture folder ({@code folder:DIR} without train/ and test/) is split here: per class, the
 * newest {@code holdout} fraction (file-name order, which is time order for the node's
 * {@code yyyyMMdd-HHmmss-SSS-...} names) is held out for testing, so that consecutive, nearly
 * identical frames of one scene do not end up on both sides. Folders {@code unknown} (frames the
 * node did not label and nobody reviewed), {@code _ignored} (rejected) and any other name starting
 * with '_' or '.' are not classes.
 */
public final class FolderData {
    public record Sets(ImageSet train, ImageSet test, String description) {
    }

    private FolderData() {
    }

    /** Train and test sets of {@code spec}, at the input size of {@code in}. */
    public static Sets load(String spec, Architecture.Input in, double holdout, PrintWriter log) throws IOException {
        int colon = spec.indexOf(':');
        Path path = colon > 0 ? Path.of(spec.substring(colon + 1)) : null;
        if (colon > 0 && spec.startsWith("folder:") && Files.isDirectory(path)) {
            if (Files.isDirectory(path.resolve("train")) && Files.isDirectory(path.resolve("test"))) {
                ImageSet train = read(path.resolve("train"), spec + " (train)", in, log);
                ImageSet test = read(path.resolve("test"), spec + " (test)", in, log);
                return new Sets(train, test, "train/ and test/ folders");
            }
            ImageSet all = read(path, spec, in, log);
            return split(all, holdout, spec);
        }
        ImageSet train = fit(Datasets.load(spec, Split.TRAIN, null), in);
        ImageSet test = fit(Datasets.load(spec, Split.TEST, null), in);
        return new Sets(train, test, "its train and test splits");
    }

    /** The test split of {@code spec} (all of a plain image folder), at the input size of {@code in}. */
    public static ImageSet loadTest(String spec, Architecture.Input in) throws IOException {
        int colon = spec.indexOf(':');
        Path path = colon > 0 ? Path.of(spec.substring(colon + 1)) : null;
        if (colon > 0 && spec.startsWith("folder:") && Files.isDirectory(path)) {
            boolean split = Files.isDirectory(path.resolve("train")) && Files.isDirectory(path.resolve("test"));
            return read(split ? path.resolve("test") : path, spec + " (test)", in, null);
        }
        return fit(Datasets.load(spec, Split.TEST, null), in);
    }

    /** Per class, the last {@code holdout} fraction (in set order) becomes the test set. */
    static Sets split(ImageSet all, double holdout, String spec) {
        if (!(holdout >= 0 && holdout < 1)) {
            throw new IllegalArgumentException("--holdout must be in [0, 1), got " + holdout);
        }
        int classes = all.classNames().size();
        int[] perClass = new int[classes];
        for (int l : all.labels()) {
            perClass[l]++;
        }
        int[] seen = new int[classes];
        List<Integer> tr = new ArrayList<>(), te = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            int l = all.label(i);
            int keep = perClass[l] - (int) Math.floor(perClass[l] * holdout);
            (seen[l]++ < keep ? tr : te).add(i);
        }
        if (te.isEmpty()) {
            // nothing held out (holdout 0 or tiny classes): test on the training images, and say so
            return new Sets(all, all, "no images held out: the test figures are on the training images");
        }
        ImageSet train = all.subset(tr.stream().mapToInt(Integer::intValue).toArray());
        ImageSet test = all.subset(te.stream().mapToInt(Integer::intValue).toArray());
        return new Sets(train, test, String.format(Locale.ROOT, "%d for training, the newest %.0f %% of each class (%d) held out",
                train.size(), 100 * holdout, test.size()));
    }

    static boolean isClassFolder(String name) {
        return !name.startsWith(".") && !name.startsWith("_") && !name.equals(Captures.UNKNOWN);
    }

    /** Reads {@code root/CLASS/IMAGE}, every image brought to the input size as it is decoded. */
    static ImageSet read(Path root, String source, Architecture.Input in, PrintWriter log) throws IOException {
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path d : (Iterable<Path>) s.sorted()::iterator) {
                String name = d.getFileName().toString();
                if (!Files.isDirectory(d)) {
                    continue;
                }
                List<Path> images;
                try (Stream<Path> f = Files.list(d)) {
                    images = f.filter(p -> Captures.isImage(p.getFileName().toString())
                            && !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)).sorted().toList();
                }
                if (!isClassFolder(name)) {
                    if (!name.startsWith(".")) {
                        leftOut.add(name + " (" + images.size() + ")");
                    }
                    continue;
                }
                classes.add(name);
                for (Path p : images) {
                    files.add(p);
                    labels.add(classes.size() - 1);
                }
            }
        }
        if (files.isEmpty()) {
            throw new IOException(root + ": no .png/.jpg images in class folders " + classes
                    + (leftOut.isEmpty() ? "" : " (left out: " + String.join(", ", leftOut) + ")"));
        }
        if (log != null && !leftOut.isEmpty()) {
            log.printf(Locale.ROOT, "%s: not classes, left out: %s%n", root, String.join(", ", leftOut));
        }
        InputSpec target = target(in);
        int size = in.height() * in.width() * in.channels();
        byte[] px = new byte[Math.multiplyExact(files.size(), size)];
        ThreadLocal<Preprocessor> pre = ThreadLocal.withInitial(() -> new Preprocessor(target, null));
        ThreadLocal<float[]> buf = ThreadLocal.withInitial(() -> new float[size]);
        try {
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                try {
                    BufferedImage img = ImageIO.read(files.get(i).toFile());
                    if (img == null) {
                        throw new IOException(files.get(i) + ": not a readable image");
                    }
                    int w = img.getWidth(), h = img.getHeight();
                    byte[] rgb = new byte[w * h * 3];
                    int[] row = new int[w];
                    for (int y = 0; y < h; y++) {
                        img.getRGB(0, y, w, 1, row, 0, w);
                        for (int x = 0; x < w; x++) {
                            int v = row[x], o = (y * w + x) * 3;
                            rgb[o] = (byte) (v >> 16);
                            rgb[o + 1] = (byte) (v >> 8);
                            rgb[o + 2] = (byte) v;
                        }
                    }
                    float[] out = buf.get();
                    pre.get().apply(rgb, 0, h, w, 3, out);
                    store(out, px, i * size);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new ImageSet(source, classes, in.height(), in.width(), in.channels(), px,
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The set at the input size and colour of {@code in} (itself when it already is). */
    public static ImageSet fit(ImageSet set, Architecture.Input in) {
        if (set.height() == in.height() && set.width() == in.width() && set.channels() == in.channels()) {
            return set;
        }
        if (set.channels() == 1 && in.channels() == 3) {
            throw new IllegalArgumentException(set.source() + ": grey images cannot train a colour network");
        }
        int size = in.height() * in.width() * in.channels();
        byte[] px = new byte[Math.multiplyExact(set.size(), size)];
        Preprocessor pre = new Preprocessor(target(in), null);
        float[] out = new float[size];
        for (int i = 0; i < set.size(); i++) {
            pre.apply(set.pixels(), i * set.imageSize(), set.height(), set.width(), set.channels(), out);
            store(out, px, i * size);
        }
        return new ImageSet(set.source(), set.classNames(), in.height(), in.width(), in.channels(), px, set.labels());
    }

    /** The node's preprocessing up to the pixel values: centre crop, resize, colour; no scaling. */
    static InputSpec target(Architecture.Input in) {
        return new InputSpec(in.height(), in.width(), in.channels(), in.channels() == 1 ? "gray" : "rgb",
                "center_crop", 1.0, 0.0, null);
    }

    private static void store(float[] v, byte[] px, int at) {
        for (int k = 0; k < v.length; k++) {
            px[at + k] = (byte) Math.max(0, Math.min(255, Math.round(v[k])));
        }
    }
}
