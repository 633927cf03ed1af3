package dev.lifvision.network;

import java.util.Arrays;

/**
 * 2-D convolution, channels-last. Weights {@code [kh, kw, cin, cout]}; or, when
 * {@code locallyConnected}, {@code [oh, ow, kh, kw, cin, cout]} (a separate kernel per output
 * position). Zero padding; output size {@code floor((H + 2p - k)/s) + 1}. Both loops run with
 * the output channels innermost so the JIT can vectorise them.
 */
public final class Conv2d implements LinearOp {
    private final int h, w, cin, kh, kw, sh, sw, ph, pw, oh, ow, cout;
    private final boolean local;
    private final float[] weights;
    /**
     * For a shared kernel with horizontal stride 1: the kernel with kx reversed and laid out
     * {@code [kh, cin, kw, cout]}. A spike's targets in one output row are then one contiguous run
     * of {@code kw * cout} values in both this array and the output, so the scatter's inner loop
     * is kw times longer (it vectorises well) than with the forward layout.
     */
    private final float[] rowKernel;

    public Conv2d(int[] inShape, int[] outShape, int[] kernel, int[] stride, int[] padding, float[] weights,
                  boolean locallyConnected) {
        this.h = inShape[0];
        this.w = inShape[1];
        this.cin = inShape[2];
        this.oh = outShape[0];
        this.ow = outShape[1];
        this.cout = outShape[2];
        this.kh = kernel[0];
        this.kw = kernel[1];
        this.sh = stride[0];
        this.sw = stride[1];
        this.ph = padding[0];
        this.pw = padding[1];
        this.local = locallyConnected;
        long expected = (long) kh * kw * cin * cout * (local ? (long) oh * ow : 1L);
        if (weights.length != expected) {
            throw new IllegalArgumentException("convolution weights have " + weights.length + " values, expected "
                    + expected);
        }
        this.weights = weights;
        if (!local && sw == 1) {
            rowKernel = new float[weights.length];
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    for (int ci = 0; ci < cin; ci++) {
                        System.arraycopy(weights, ((ky * kw + kx) * cin + ci) * cout, rowKernel,
                                ((ky * cin + ci) * kw + (kw - 1 - kx)) * cout, cout);
                    }
                }
            }
        } else {
            rowKernel = null;
        }
    }

    @Override
    public int inSize() {
        return h * w * cin;
    }

    @Override
    public int outSize() {
        return oh * ow * cout;
    }

    private int kernelBase(int oy, int ox, int ky, int kx, int ci) {
        int k = (ky * kw + kx) * cin + ci;
        if (local) {
            k += (oy * ow + ox) * kh * kw * cin;
        }
        return k * cout;
    }

    @Override
    public void forward(float[] x, float[] y) {
        Arrays.fill(y, 0, outSize(), 0f);
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int outBase = (oy * ow + ox) * cout;
                for (int ky = 0; ky < kh; ky++) {
                    int iy = oy * sh - ph + ky;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int kx = 0; kx < kw; kx++) {
                        int ix = ox * sw - pw + kx;
                        if (ix < 0 || ix >= w) {
                            continue;
                        }
                        int inBase = (iy * w + ix) * cin;
                        int wBase = kernelBase(oy, ox, ky, kx, 0);
                        for (int ci = 0; ci < cin; ci++) {
                            float xv = x[inBase + ci];
                            if (xv != 0f) {
                                int wr = wBase + ci * cout;
                                for (int co = 0; co < cout; co++) {
                                    y[outBase + co] += xv * weights[wr + co];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public int scatter(int i, float value, float[] y, float[] scratch) {
        int ci = i % cin;
        int pix = i / cin;
        int ix = pix % w;
        int iy = pix / w;
        // outputs whose window covers (iy, ix): oy*sh - ph <= iy <= oy*sh - ph + kh - 1
        int oyLo = Math.max(0, ceilDiv(iy + ph - kh + 1, sh));
        int oyHi = Math.min(oh - 1, Math.floorDiv(iy + ph, sh));
        int oxLo = Math.max(0, ceilDiv(ix + pw - kw + 1, sw));
        int oxHi = Math.min(ow - 1, Math.floorDiv(ix + pw, sw));
        if (oyLo > oyHi || oxLo > oxHi) {
            return 0;
        }
        int events = 0;
        if (rowKernel != null) {
            int run = (oxHi - oxLo + 1) * cout;
            int kxFlipped = kw - 1 - (ix + pw - oxLo);
            for (int oy = oyLo; oy <= oyHi; oy++) {
                int ky = iy + ph - oy * sh;
                int wr = ((ky * cin + ci) * kw + kxFlipped) * cout;
                int outBase = (oy * ow + oxLo) * cout;
                Axpy.axpy(y, outBase, rowKernel, wr, run, value, scratch);
                events += run;
            }
            return events;
        }
        for (int oy = oyLo; oy <= oyHi; oy++) {
            int ky = iy + ph - oy * sh;
            for (int ox = oxLo; ox <= oxHi; ox++) {
                int kx = ix + pw - ox * sw;
                int outBase = (oy * ow + ox) * cout;
                Axpy.axpy(y, outBase, weights, kernelBase(oy, ox, ky, kx, ci), cout, value, scratch);
                events += cout;
            }
        }
        return events;
    }

    /** Ceiling of a / b for b > 0 and any sign of a (also used by the emulator's integer conv). */
    public static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public long connections() {
        return weights.length * (local ? 1L : (long) oh * ow);
    }
}
