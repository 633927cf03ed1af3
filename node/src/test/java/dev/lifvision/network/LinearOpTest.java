package dev.lifvision.network;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The event-driven scatter must be the exact transpose of the dense forward pass, for every op. */
class LinearOpTest {
    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static void assertScatterIsForwardColumn(LinearOp op) {
        float[] e = new float[op.inSize()];
        float[] col = new float[op.outSize()];
        float[] sc = new float[op.outSize()];
        float[] scratch = new float[op.outSize()];
        for (int i = 0; i < op.inSize(); i++) {
            e[i] = 1f;
            op.forward(e, col);
            e[i] = 0f;
            java.util.Arrays.fill(sc, 0f);
            int events = op.scatter(i, 1f, sc, scratch);
            int nonzero = 0;
            for (int o = 0; o < col.length; o++) {
                assertEquals(col[o], sc[o], 1e-6f, "input " + i + " output " + o);
                if (col[o] != 0f) {
                    nonzero++;
                }
            }
            assertTrue(events >= nonzero, "events " + events + " cover the " + nonzero + " non-zero targets");
        }
    }

    @Test
    void denseScatterMatchesForward() {
        assertScatterIsForwardColumn(new Dense(7, 5, random(35, 1)));
    }

    @Test
    void convScatterMatchesForwardForStridesAndPadding() {
        int[][] cases = {{9, 8, 3, 4, 3, 3, 1, 1, 0, 0}, {9, 8, 2, 5, 5, 5, 1, 1, 2, 2}, {10, 9, 3, 4, 3, 3, 2, 2, 1, 1},
                {7, 7, 1, 3, 5, 3, 1, 2, 2, 1}};
        for (int[] c : cases) {
            int h = c[0], w = c[1], cin = c[2], cout = c[3], kh = c[4], kw = c[5], sh = c[6], sw = c[7], ph = c[8], pw = c[9];
            int oh = (h + 2 * ph - kh) / sh + 1;
            int ow = (w + 2 * pw - kw) / sw + 1;
            assertScatterIsForwardColumn(new Conv2d(new int[]{h, w, cin}, new int[]{oh, ow, cout}, new int[]{kh, kw},
                    new int[]{sh, sw}, new int[]{ph, pw}, random(kh * kw * cin * cout, h * 31 + w), false));
            assertScatterIsForwardColumn(new Conv2d(new int[]{h, w, cin}, new int[]{oh, ow, cout}, new int[]{kh, kw},
                    new int[]{sh, sw}, new int[]{ph, pw}, random(oh * ow * kh * kw * cin * cout, h), true));
        }
    }

    @Test
    void convForwardMatchesNaiveConvolution() {
        int h = 6, w = 5, cin = 2, cout = 3, k = 3, p = 1;
        float[] wt = random(k * k * cin * cout, 3);
        float[] x = random(h * w * cin, 4);
        Conv2d conv = new Conv2d(new int[]{h, w, cin}, new int[]{h, w, cout}, new int[]{k, k}, new int[]{1, 1},
                new int[]{p, p}, wt, false);
        float[] y = new float[h * w * cout];
        conv.forward(x, y);
        for (int oy = 0; oy < h; oy++) {
            for (int ox = 0; ox < w; ox++) {
                for (int co = 0; co < cout; co++) {
                    double s = 0;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy - p + ky, ix = ox - p + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue;
                            }
                            for (int ci = 0; ci < cin; ci++) {
                                s += x[(iy * w + ix) * cin + ci] * wt[((ky * k + kx) * cin + ci) * cout + co];
                            }
                        }
                    }
                    assertEquals(s, y[(oy * w + ox) * cout + co], 1e-5);
                }
            }
        }
    }

    @Test
    void avgPoolScatterMatchesForwardWithAndWithoutPaddingInDivisor() {
        for (boolean include : new boolean[]{true, false}) {
            // 24x24 -> 3x3 stride 2 pad 1 -> 12x12, as in the CIFAR-10 architecture
            AvgPool2d pool = new AvgPool2d(new int[]{24, 24, 2}, new int[]{12, 12, 2}, 3, 2, 1, include);
            assertScatterIsForwardColumn(pool);
            float[] ones = new float[24 * 24 * 2];
            java.util.Arrays.fill(ones, 1f);
            float[] y = new float[12 * 12 * 2];
            pool.forward(ones, y);
            assertEquals(include ? 4f / 9f : 1f, y[0], 1e-6f, "corner cell, countIncludePad=" + include);
            assertEquals(1f, y[(5 * 12 + 5) * 2], 1e-6f, "inner cell");
        }
    }
}
