package dev.lifvision.trainer;

import dev.lifvision.bundle.InputSpec;
import dev.lifvision.data.ImageSet;
import dev.lifvision.encode.Preprocessor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Images normalised exactly as the node will normalise them (through the node's own
 * {@link Preprocessor}, at the source size), and batches cut from them: random crops and
 * horizontal flips for training when the architecture asks for them, the centred window otherwise.
 * Batches are NCHW float32, as DL4J wants.
 */
public final class TrainingData {
    private final int h, w, c, netH, netW, classes;
    private final float[][] images;
    private final int[] labels;
    private final List<String> classNames;

    private TrainingData(int h, int w, int c, int netH, int netW, float[][] images, int[] labels, List<String> classNames) {
        this.h = h;
        this.w = w;
        this.c = c;
        this.netH = netH;
        this.netW = netW;
        this.images = images;
        this.labels = labels;
        this.classNames = classNames;
        this.classes = classNames.size();
    }

    /** Per-pixel mean (0..255 units, [h, w, c]) of a set, for mean subtraction. */
    public static float[] pixelMean(ImageSet set) {
        int n = set.imageSize();
        double[] sum = new double[n];
        byte[] px = set.pixels();
        for (int i = 0; i < set.size(); i++) {
            int base = i * n;
            for (int k = 0; k < n; k++) {
                sum[k] += px[base + k] & 0xff;
            }
        }
        float[] mean = new float[n];
        for (int k = 0; k < n; k++) {
            mean[k] = (float) (sum[k] / Math.max(1, set.size()));
        }
        return mean;
    }

    /**
     * @param source the full-size input spec (no window) used to normalise; the network sees the
     *               {@code netH x netW} window of it
     */
    public static TrainingData of(ImageSet set, InputSpec source, float[] mean, int netH, int netW) {
        if (set.height() != source.height() || set.width() != source.width() || set.channels() != source.channels()) {
            throw new IllegalArgumentException(set.source() + ": images are " + set.height() + "x" + set.width() + "x"
                    + set.channels() + ", the architecture expects " + source.height() + "x" + source.width() + "x"
                    + source.channels());
        }
        Preprocessor pre = new Preprocessor(source, mean);
        float[][] x = new float[set.size()][set.imageSize()];
        for (int i = 0; i < set.size(); i++) {
            pre.apply(set.pixels(), i * set.imageSize(), set.height(), set.width(), set.channels(), x[i]);
        }
        return new TrainingData(set.height(), set.width(), set.channels(), netH, netW, x, set.labels().clone(),
                set.classNames());
    }

    public int size() {
        return labels.length;
    }

    public int classes() {
        return classes;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Channels-last network input of image i (centred window), as the node's preprocessor gives it. */
    public float[] centred(int i) {
        float[] out = new float[netH * netW * c];
        int y0 = (h - netH) / 2, x0 = (w - netW) / 2;
        int k = 0;
        for (int y = 0; y < netH; y++) {
            for (int x = 0; x < netW; x++) {
                for (int ch = 0; ch < c; ch++) {
                    out[k++] = images[i][((y + y0) * w + x + x0) * c + ch];
                }
            }
        }
        return out;
    }

    /**
     * A batch of the given images. With {@code random} non-null each image gets a random crop
     * offset, if {@code flip} a coin-flip mirror, and a random shift of up to {@code shift} pixels
     * in x and y (uncovered pixels 0); otherwise the centred window.
     */
    public DataSet batch(int[] order, int from, int to, SplittableRandom random, boolean flip, int shift) {
        int n = to - from;
        float[] f = new float[n * c * netH * netW];
        float[] l = new float[n * classes];
        int plane = netH * netW;
        for (int b = 0; b < n; b++) {
            int i = order[from + b];
            int y0 = (h - netH) / 2, x0 = (w - netW) / 2;
            boolean mirror = false;
            if (random != null) {
                y0 = random.nextInt(h - netH + 1);
                x0 = random.nextInt(w - netW + 1);
                mirror = flip && random.nextBoolean();
                if (shift > 0) {
                    y0 -= random.nextInt(2 * shift + 1) - shift;
                    x0 -= random.nextInt(2 * shift + 1) - shift;
                }
            }
            float[] img = images[i];
            int base = b * c * plane;
            for (int y = 0; y < netH; y++) {
                for (int x = 0; x < netW; x++) {
                    int sx = mirror ? x0 + netW - 1 - x : x0 + x;
                    int sy = y0 + y;
                    if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
                        continue; // shifted off the source: stays 0
                    }
                    int src = (sy * w + sx) * c;
                    for (int ch = 0; ch < c; ch++) {
                        f[base + ch * plane + y * netW + x] = img[src + ch];
                    }
                }
            }
            l[b * classes + labels[i]] = 1f;
        }
        INDArray features = Nd4j.create(f, new long[]{n, c, netH, netW}, 'c');
        INDArray lab = Nd4j.create(l, new long[]{n, classes}, 'c');
        return new DataSet(features, lab);
    }
}
