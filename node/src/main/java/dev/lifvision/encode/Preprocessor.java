package dev.lifvision.encode;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.InputSpec;

/**
 * Turns 8-bit frames (channels-last, RGB or grey) into the network's input vector exactly as the
 * bundle's input spec says: optional region of interest, bring the frame to the source size
 * (centre crop to its aspect or stretch, then resample), subtract the per-pixel mean, take the
 * centred input window, convert colour, then {@code (pixel - mean) * scale + offset}.
 *
 * <p>Resampling averages over the covered source area when shrinking (a camera frame to 28x28
 * would alias badly with plain bilinear sampling) and interpolates bilinearly when enlarging. The
 * weights are computed once per source size. Not thread-safe: one per capture or worker thread.
 */
public final class Preprocessor {
    private final int outH, outW, outC;
    /** Size the frame is brought to before the centred input window is taken. */
    private final int srcH, srcW;
    private final boolean bgr;
    private final boolean stretch;
    private final float scale, offset;
    private final float[] mean;
    private float roiX0 = 0f, roiY0 = 0f, roiX1 = 1f, roiY1 = 1f;

    private int cachedH = -1, cachedW = -1, cachedC = -1;
    private Resampler rows, cols;
    private float[] resized;

    public Preprocessor(InputSpec in, float[] meanOrNull) {
        this.outH = in.height();
        this.outW = in.width();
        this.outC = in.channels();
        int[] source = in.sourceSize();
        this.srcH = source == null ? outH : source[0];
        this.srcW = source == null ? outW : source[1];
        this.bgr = "bgr".equals(in.colorOrder());
        this.stretch = "stretch".equals(in.resize());
        this.scale = (float) in.scale();
        this.offset = (float) in.offset();
        this.mean = meanOrNull;
        if (mean != null && mean.length != srcH * srcW * outC) {
            throw new IllegalArgumentException("input mean has " + mean.length + " values, expected " + srcH + "x"
                    + srcW + "x" + outC);
        }
    }

    public static Preprocessor of(Bundle bundle) {
        InputSpec in = bundle.manifest().input();
        float[] mean = in.meanTensor() == null ? null : bundle.tensor(in.meanTensor()).floats();
        return new Preprocessor(in, mean);
    }

    /** Restricts processing to a region of interest in normalised coordinates (0..1, x0 < x1, y0 < y1). */
    public Preprocessor roi(double x0, double y0, double x1, double y1) {
        if (!(0 <= x0 && x0 < x1 && x1 <= 1 && 0 <= y0 && y0 < y1 && y1 <= 1)) {
            throw new IllegalArgumentException("region of interest [" + x0 + ", " + y0 + ", " + x1 + ", " + y1
                    + "] must satisfy 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1");
        }
        roiX0 = (float) x0;
        roiY0 = (float) y0;
        roiX1 = (float) x1;
        roiY1 = (float) y1;
        cachedH = -1;
        return this;
    }

    public int outputSize() {
        return outH * outW * outC;
    }

    /**
     * @param pixels {@code h*w*c} bytes starting at {@code offsetInArray}, channels-last, RGB for c = 3
     * @param dst    receives {@link #outputSize()} values
     */
    public void apply(byte[] pixels, int offsetInArray, int h, int w, int c, float[] dst) {
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("frames must have 1 or 3 channels, got " + c);
        }
        if (h != cachedH || w != cachedW || c != cachedC) {
            plan(h, w, c);
        }
        float[] src = resized;
        int i = 0;
        int y0 = (srcH - outH) / 2;
        int x0 = (srcW - outW) / 2;
        if (rows == null) {
            // already the source size: read the bytes directly
            src = null;
        } else {
            resample(pixels, offsetInArray, w, c);
        }
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int sy = y + y0;
                int sx = x + x0;
                int base = (sy * srcW + sx) * c;
                for (int ch = 0; ch < outC; ch++) {
                    float v;
                    if (outC == c) {
                        int cc = bgr ? c - 1 - ch : ch;
                        v = src == null ? (pixels[offsetInArray + base + cc] & 0xff) : src[base + cc];
                    } else if (outC == 1) {
                        float r = src == null ? (pixels[offsetInArray + base] & 0xff) : src[base];
                        float g = src == null ? (pixels[offsetInArray + base + 1] & 0xff) : src[base + 1];
                        float b = src == null ? (pixels[offsetInArray + base + 2] & 0xff) : src[base + 2];
                        v = 0.299f * r + 0.587f * g + 0.114f * b;
                    } else {
                        v = src == null ? (pixels[offsetInArray + base] & 0xff) : src[base];
                    }
                    if (mean != null) {
                        v -= mean[(sy * srcW + sx) * outC + ch];
                    }
                    dst[i++] = v * scale + offset;
                }
            }
        }
    }

    private void plan(int h, int w, int c) {
        cachedH = h;
        cachedW = w;
        cachedC = c;
        float rx0 = roiX0 * w, rx1 = roiX1 * w, ry0 = roiY0 * h, ry1 = roiY1 * h;
        if (!stretch) {
            // largest centred region of the source aspect inside the ROI
            float want = (float) srcW / srcH;
            float have = (rx1 - rx0) / (ry1 - ry0);
            if (have > want) {
                float cw = (ry1 - ry0) * want;
                float cx = (rx0 + rx1) / 2;
                rx0 = cx - cw / 2;
                rx1 = cx + cw / 2;
            } else {
                float ch = (rx1 - rx0) / want;
                float cy = (ry0 + ry1) / 2;
                ry0 = cy - ch / 2;
                ry1 = cy + ch / 2;
            }
        }
        boolean identity = h == srcH && w == srcW && rx0 == 0 && ry0 == 0 && rx1 == w && ry1 == h;
        if (identity) {
            rows = cols = null;
            resized = null;
        } else {
            rows = new Resampler(ry0, ry1, srcH, h);
            cols = new Resampler(rx0, rx1, srcW, w);
            resized = new float[srcH * srcW * c];
        }
    }

    private void resample(byte[] px, int off, int w, int c) {
        java.util.Arrays.fill(resized, 0f);
        for (int oy = 0; oy < srcH; oy++) {
            for (int a = rows.start[oy]; a < rows.start[oy + 1]; a++) {
                int sy = rows.index[a];
                float wy = rows.weight[a];
                for (int ox = 0; ox < srcW; ox++) {
                    int o = (oy * srcW + ox) * c;
                    for (int b = cols.start[ox]; b < cols.start[ox + 1]; b++) {
                        float wgt = wy * cols.weight[b];
                        int s = off + (sy * w + cols.index[b]) * c;
                        for (int ch = 0; ch < c; ch++) {
                            resized[o + ch] += wgt * (px[s + ch] & 0xff);
                        }
                    }
                }
            }
        }
    }

    /** 1-D resampling weights from the span [lo, hi) of an axis of length n to m outputs. */
    static final class Resampler {
        final int[] start;
        final int[] index;
        final float[] weight;

        Resampler(float lo, float hi, int m, int n) {
            float step = (hi - lo) / m;
            java.util.List<int[]> idx = new java.util.ArrayList<>();
            java.util.List<Float> wts = new java.util.ArrayList<>();
            start = new int[m + 1];
            for (int o = 0; o < m; o++) {
                start[o] = idx.size();
                if (step > 1f) {
                    // shrinking: average over the covered source cells, partial cells weighted
                    float a = lo + o * step;
                    float b = a + step;
                    for (int s = (int) Math.floor(a); s < Math.ceil(b); s++) {
                        float cover = Math.min(b, s + 1) - Math.max(a, s);
                        if (cover > 0) {
                            idx.add(new int[]{Math.min(n - 1, Math.max(0, s))});
                            wts.add(cover / step);
                        }
                    }
                } else {
                    // enlarging: bilinear between the two nearest cell centres
                    float centre = lo + (o + 0.5f) * step - 0.5f;
                    int s0 = (int) Math.floor(centre);
                    float f = centre - s0;
                    idx.add(new int[]{Math.min(n - 1, Math.max(0, s0))});
                    wts.add(1f - f);
                    idx.add(new int[]{Math.min(n - 1, Math.max(0, s0 + 1))});
                    wts.add(f);
                }
            }
            start[m] = idx.size();
            index = new int[idx.size()];
            weight = new float[idx.size()];
            for (int k = 0; k < index.length; k++) {
                index[k] = idx.get(k)[0];
                weight[k] = wts.get(k);
            }
        }
    }
}
