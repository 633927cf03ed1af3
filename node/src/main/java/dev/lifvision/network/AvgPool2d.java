package dev.lifvision.network;

import java.util.Arrays;

/**
 * Average pooling over k x k windows with stride s, per channel, channels-last. Zero padding
 * counts in the divisor when {@code countIncludePad} (divisor k*k), otherwise the divisor is the
 * number of in-bounds cells. It is linear, so spikes pass straight through it into the next
 * weighted layer (max pooling could not).
 */
public final class AvgPool2d implements LinearOp {
    private final int h, w, c, k, s, p, oh, ow;
    /** 1 / divisor per output position. */
    private final float[] inverseCount;

    public AvgPool2d(int[] inShape, int[] outShape, int k, int s, int p, boolean countIncludePad) {
        this.h = inShape[0];
        this.w = inShape[1];
        this.c = inShape[2];
        this.oh = outShape[0];
        this.ow = outShape[1];
        this.k = k;
        this.s = s;
        this.p = p;
        this.inverseCount = new float[oh * ow];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                inverseCount[oy * ow + ox] = 1f / (countIncludePad ? k * k : inBounds(h, w, k, s, p, oy, ox));
            }
        }
    }

    /**
     * The in-bounds cells of output (oy, ox)'s window (at least 1): the divisor when padding does
     * not count. The emulator folds the same divisors into its weights, so it must use this too.
     */
    public static int inBounds(int h, int w, int k, int s, int p, int oy, int ox) {
        int rows = Math.min(h, oy * s - p + k) - Math.max(0, oy * s - p);
        int cols = Math.min(w, ox * s - p + k) - Math.max(0, ox * s - p);
        return Math.max(1, rows * cols);
    }

    @Override
    public int inSize() {
        return h * w * c;
    }

    @Override
    public int outSize() {
        return oh * ow * c;
    }

    @Override
    public void forward(float[] x, float[] y) {
        Arrays.fill(y, 0, outSize(), 0f);
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int outBase = (oy * ow + ox) * c;
                float scale = inverseCount[oy * ow + ox];
                for (int iy = Math.max(0, oy * s - p); iy < Math.min(h, oy * s - p + k); iy++) {
                    for (int ix = Math.max(0, ox * s - p); ix < Math.min(w, ox * s - p + k); ix++) {
                        int inBase = (iy * w + ix) * c;
                        for (int ch = 0; ch < c; ch++) {
                            y[outBase + ch] += x[inBase + ch];
                        }
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    y[outBase + ch] *= scale;
                }
            }
        }
    }

    @Override
    public int scatter(int i, float value, float[] y, float[] scratch) {
        return scatterTracked(i, value, y, null);
    }

    /**
     * Like {@link #scatter}, also recording each output index touched for the
     * first time in {@code touched} (used when a pool sits between spiking neurons and a weighted
     * layer: only the touched pooled cells are then pushed through the weights).
     */
    public int scatterTracked(int i, float value, float[] y, SparseSet touched) {
        int ch = i % c;
        int pix = i / c;
        int ix = pix % w;
        int iy = pix / w;
        int oyLo = Math.max(0, Conv2d.ceilDiv(iy + p - k + 1, s));
        int oyHi = Math.min(oh - 1, Math.floorDiv(iy + p, s));
        int oxLo = Math.max(0, Conv2d.ceilDiv(ix + p - k + 1, s));
        int oxHi = Math.min(ow - 1, Math.floorDiv(ix + p, s));
        int events = 0;
        for (int oy = oyLo; oy <= oyHi; oy++) {
            for (int ox = oxLo; ox <= oxHi; ox++) {
                int o = (oy * ow + ox) * c + ch;
                y[o] += value * inverseCount[oy * ow + ox];
                if (touched != null) {
                    touched.add(o);
                }
                events++;
            }
        }
        return events;
    }

    @Override
    public long connections() {
        return (long) oh * ow * c * k * k;
    }
}
