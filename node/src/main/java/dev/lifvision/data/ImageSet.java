package dev.lifvision.data;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * In-memory labelled images: unsigned 8-bit pixels, channels-last (H, W, C), RGB order for colour,
 * row-major, image after image. Immutable by convention: the arrays returned by {@link #pixels()} and
 * {@link #labels()} are the backing arrays (no copy, because a training set is hundreds of MB).
 */
public final class ImageSet {
    private final String source;
    private final List<String> classNames;
    private final int height, width, channels, imageSize;
    private final byte[] pixels;
    private final int[] labels;

    public ImageSet(String source, List<String> classNames, int height, int width, int channels,
                    byte[] pixels, int[] labels) {
        this.source = source == null ? "?" : source;
        if (classNames == null || classNames.isEmpty()) {
            throw new IllegalArgumentException(this.source + ": no class names");
        }
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException(this.source + ": bad image shape " + height + "x" + width + "x" + channels);
        }
        this.classNames = List.copyOf(classNames);
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.imageSize = Math.multiplyExact(Math.multiplyExact(height, width), channels);
        this.pixels = pixels;
        this.labels = labels;
        long expected = (long) labels.length * imageSize;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(this.source + ": " + labels.length + " labels need " + expected
                    + " pixel bytes (" + height + "x" + width + "x" + channels + " each) but got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= this.classNames.size()) {
                throw new IllegalArgumentException(this.source + ": label of image " + i + " is " + labels[i]
                        + ", outside 0.." + (this.classNames.size() - 1));
            }
        }
    }

    public String source() { return source; }
    public List<String> classNames() { return classNames; }
    public int size() { return labels.length; }
    public int height() { return height; }
    public int width() { return width; }
    public int channels() { return channels; }
    public int imageSize() { return imageSize; }
    public int label(int i) { return labels[i]; }
    /** Backing array, do not mutate. */
    public int[] labels() { return labels; }
    /** Backing array, do not mutate. */
    public byte[] pixels() { return pixels; }

    /** Copies image {@code i} into {@code dst[0 .. imageSize)} as 0..255 floats, channels-last. */
    public void copyPixels(int i, float[] dst) {
        if (dst.length < imageSize) {
            throw new IllegalArgumentException("destination holds " + dst.length + " floats, image needs " + imageSize);
        }
        int off = Math.multiplyExact(java.util.Objects.checkIndex(i, labels.length), imageSize);
        for (int k = 0; k < imageSize; k++) {
            dst[k] = pixels[off + k] & 0xFF;
        }
    }

    /** The first {@code n} images; returns this set itself when {@code n >= size()}. */
    public ImageSet limit(int n) {
        if (n < 0) throw new IllegalArgumentException("limit must be >= 0, got " + n);
        if (n >= size()) return this;
        return new ImageSet(source, classNames, height, width, channels,
                Arrays.copyOf(pixels, n * imageSize), Arrays.copyOf(labels, n));
    }

    /** The images at {@code indices}, in that order (repeats allowed). */
    public ImageSet subset(int[] indices) {
        byte[] px = new byte[Math.multiplyExact(indices.length, imageSize)];
        int[] lb = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = java.util.Objects.checkIndex(indices[k], labels.length);
            System.arraycopy(pixels, i * imageSize, px, k * imageSize, imageSize);
            lb[k] = labels[i];
        }
        return withData(px, lb);
    }

    /**
     * A permutation of all images that depends only on {@code seed} and {@link #size()}
     * (java.util.Random's algorithm is fixed by its spec, so it is stable across JVMs).
     */
    public ImageSet shuffled(long seed) {
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Random rnd = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i]; order[i] = order[j]; order[j] = t;
        }
        return subset(order);
    }

    /** Same data, another description (the readers know the file, the loader knows the spec). */
    ImageSet withSource(String newSource) {
        return new ImageSet(newSource, classNames, height, width, channels, pixels, labels);
    }

    private ImageSet withData(byte[] px, int[] lb) {
        return new ImageSet(source, classNames, height, width, channels, px, lb);
    }

    @Override
    public String toString() {
        return source + ": " + size() + " images " + height + "x" + width + "x" + channels + ", " + classNames.size() + " classes";
    }
}
