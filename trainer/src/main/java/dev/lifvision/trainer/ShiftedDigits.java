package dev.lifvision.trainer;

import dev.lifvision.data.ImageSet;

import java.util.Random;

/**
 * A shifted domain made from MNIST digits, as a robot's camera might show handwritten digits on a
 * wall: dark ink on a light, coloured, textured background (the inverse of MNIST's white-on-black),
 * with the blur of a cheap lens. Every image is drawn from its own seeded random stream, so image i
 * is the same whatever else is generated. Output: RGB, {@code size x size}, labels and class names
 * of the source.
 */
public final class ShiftedDigits {
    private ShiftedDigits() {
    }

    /** Images {@code from .. from+count-1} of {@code digits} (grey or RGB, any size), shifted. */
    public static ImageSet of(ImageSet digits, int from, int count, int size, long seed) {
        if (from < 0 || count < 0 || from + count > digits.size()) {
            throw new IllegalArgumentException("images " + from + ".." + (from + count - 1) + " of " + digits.size());
        }
        int n = size * size * 3;
        byte[] px = new byte[Math.multiplyExact(count, n)];
        int[] labels = new int[count];
        float[] ink = new float[size * size];
        float[] img = new float[n];
        float[] tmp = new float[n];
        for (int k = 0; k < count; k++) {
            int i = from + k;
            Random r = new Random(seed * 1_000_003L + i);
            coverage(digits, i, size, ink);
            render(r, ink, size, img);
            blur(img, tmp, size, 0.6 + 0.8 * r.nextDouble() * size / 28.0);
            for (int p = 0; p < n; p++) {
                px[k * n + p] = (byte) Math.max(0, Math.min(255, Math.round(img[p])));
            }
            labels[k] = digits.label(i);
        }
        return new ImageSet(digits.source() + " shifted", digits.classNames(), size, size, 3, px, labels);
    }

    /** Ink coverage 0..1 of image i, bilinearly resized to size x size. */
    private static void coverage(ImageSet d, int i, int size, float[] out) {
        int h = d.height(), w = d.width(), c = d.channels();
        byte[] all = d.pixels();
        int base = i * d.imageSize();
        for (int y = 0; y < size; y++) {
            float sy = (y + 0.5f) * h / size - 0.5f;
            int y0 = (int) Math.floor(sy);
            float fy = sy - y0;
            for (int x = 0; x < size; x++) {
                float sx = (x + 0.5f) * w / size - 0.5f;
                int x0 = (int) Math.floor(sx);
                float fx = sx - x0;
                float v = (1 - fy) * ((1 - fx) * at(all, base, h, w, c, y0, x0) + fx * at(all, base, h, w, c, y0, x0 + 1))
                        + fy * ((1 - fx) * at(all, base, h, w, c, y0 + 1, x0) + fx * at(all, base, h, w, c, y0 + 1, x0 + 1));
                out[y * size + x] = v / 255f;
            }
        }
    }

    private static float at(byte[] px, int base, int h, int w, int c, int y, int x) {
        y = Math.max(0, Math.min(h - 1, y));
        x = Math.max(0, Math.min(w - 1, x));
        return px[base + (y * w + x) * c] & 0xff;
    }

    private static void render(Random r, float[] ink, int size, float[] out) {
        // a light background colour, a dark ink colour
        float[] bg = new float[3], dark = new float[3];
        for (int ch = 0; ch < 3; ch++) {
            bg[ch] = 135 + 110 * r.nextFloat();
            dark[ch] = 10 + 70 * r.nextFloat();
        }
        // texture: oriented stripes (paper, fabric, tiles) and soft blotches, per channel in different strengths
        double theta = r.nextDouble() * Math.PI, freq = 2 + 6 * r.nextDouble(), phase = r.nextDouble() * 2 * Math.PI;
        float stripes = 8 + 22 * r.nextFloat();
        float[] chStripe = {0.6f + 0.8f * r.nextFloat(), 0.6f + 0.8f * r.nextFloat(), 0.6f + 0.8f * r.nextFloat()};
        int g = 5;
        float[][] blotch = new float[3][g * g];
        for (int ch = 0; ch < 3; ch++) {
            for (int k = 0; k < g * g; k++) {
                blotch[ch][k] = (float) (r.nextGaussian() * 18);
            }
        }
        // uneven lighting: a gradient across the frame
        double lx = r.nextGaussian() * 0.15, ly = r.nextGaussian() * 0.15;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = (double) x / size, v = (double) y / size;
                double s = Math.sin(2 * Math.PI * freq * (u * Math.cos(theta) + v * Math.sin(theta)) + phase);
                double light = 1 + lx * (u - 0.5) + ly * (v - 0.5);
                float a = Math.min(1f, ink[y * size + x] * 1.1f);
                for (int ch = 0; ch < 3; ch++) {
                    double b = bg[ch] + stripes * chStripe[ch] * s + bilinear(blotch[ch], g, u, v) + r.nextGaussian() * 5;
                    double val = (b * (1 - a) + (dark[ch] + r.nextGaussian() * 4) * a) * light;
                    out[(y * size + x) * 3 + ch] = (float) val;
                }
            }
        }
    }

    private static double bilinear(float[] grid, int g, double u, double v) {
        double gx = u * (g - 1), gy = v * (g - 1);
        int x0 = Math.min(g - 2, (int) gx), y0 = Math.min(g - 2, (int) gy);
        double fx = gx - x0, fy = gy - y0;
        return (1 - fy) * ((1 - fx) * grid[y0 * g + x0] + fx * grid[y0 * g + x0 + 1])
                + fy * ((1 - fx) * grid[(y0 + 1) * g + x0] + fx * grid[(y0 + 1) * g + x0 + 1]);
    }

    /** Separable Gaussian blur of an RGB image in place. */
    static void blur(float[] img, float[] tmp, int size, double sigma) {
        int rad = Math.max(1, (int) Math.ceil(2.5 * sigma));
        float[] k = new float[2 * rad + 1];
        float sum = 0;
        for (int i = -rad; i <= rad; i++) {
            k[i + rad] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + rad];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        for (int pass = 0; pass < 2; pass++) {
            float[] src = pass == 0 ? img : tmp, dst = pass == 0 ? tmp : img;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int ch = 0; ch < 3; ch++) {
                        float acc = 0;
                        for (int j = -rad; j <= rad; j++) {
                            int xx = pass == 0 ? Math.max(0, Math.min(size - 1, x + j)) : x;
                            int yy = pass == 1 ? Math.max(0, Math.min(size - 1, y + j)) : y;
                            acc += k[j + rad] * src[(yy * size + xx) * 3 + ch];
                        }
                        dst[(y * size + x) * 3 + ch] = acc;
                    }
                }
            }
        }
    }
}
