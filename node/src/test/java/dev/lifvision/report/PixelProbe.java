package dev.lifvision.report;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/** Numeric checks on rendered images, since nobody looks at the PNGs a test writes. */
final class PixelProbe {

    private PixelProbe() {
    }

    /** Antialiasing blends edges into the background, so only near-exact colours count as "this series". */
    static boolean near(int rgb, Color c, int tol) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return Math.abs(r - c.getRed()) <= tol && Math.abs(g - c.getGreen()) <= tol
                && Math.abs(b - c.getBlue()) <= tol;
    }

    /**
     * Whether rgb is c blended with white (an antialiased edge of a thin line): every channel must show the
     * same blend fraction, so a blue line is not mistaken for a grey grid line or another series.
     */
    static boolean tinted(int rgb, Color c) {
        int[] p = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
        int[] q = {c.getRed(), c.getGreen(), c.getBlue()};
        double lo = 1;
        double hi = 0;
        for (int k = 0; k < 3; k++) {
            if (255 - q[k] > 40) {
                double a = (255 - p[k]) / (double) (255 - q[k]);
                lo = Math.min(lo, a);
                hi = Math.max(hi, a);
            } else if (Math.abs(p[k] - q[k]) > 40 && p[k] < 215) {
                return false;
            }
        }
        return lo > 0.25 && hi - lo < 0.12;
    }

    static int countTinted(BufferedImage img, Rectangle area, Rectangle exclude, Color c) {
        int n = 0;
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                if (!exclude.contains(x, y) && tinted(img.getRGB(x, y), c)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Pixels of colour c inside area but outside exclude (the legend repeats every colour). */
    static int count(BufferedImage img, Rectangle area, Rectangle exclude, Color c) {
        int n = 0;
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                if (!exclude.contains(x, y) && near(img.getRGB(x, y), c, 12)) {
                    n++;
                }
            }
        }
        return n;
    }

    static int countColumn(BufferedImage img, int x, Rectangle area, Rectangle exclude, Color c) {
        return countTinted(img, new Rectangle(x, area.y, 1, area.height), exclude, c);
    }

    /** Row inside area with the most pixels of colour c, or -1. */
    static int densestRow(BufferedImage img, Rectangle area, Rectangle exclude, Color c) {
        int best = -1;
        int bestN = 0;
        for (int y = area.y; y < area.y + area.height; y++) {
            int n = count(img, new Rectangle(area.x, y, area.width, 1), exclude, c);
            if (n > bestN) {
                bestN = n;
                best = y;
            }
        }
        return best;
    }

    /** Mean row of colour c inside area, NaN if absent. */
    static double meanRow(BufferedImage img, Rectangle area, Rectangle exclude, Color c) {
        long sum = 0;
        long n = 0;
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                if (!exclude.contains(x, y) && near(img.getRGB(x, y), c, 12)) {
                    sum += y;
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / (double) n;
    }

    /** Near-black pixels (every channel dark, so no palette colour qualifies): text, axes and ticks. */
    static int dark(BufferedImage img, Rectangle area) {
        int n = 0;
        for (int y = Math.max(0, area.y); y < Math.min(img.getHeight(), area.y + area.height); y++) {
            for (int x = Math.max(0, area.x); x < Math.min(img.getWidth(), area.x + area.width); x++) {
                int rgb = img.getRGB(x, y);
                int max = Math.max((rgb >> 16) & 0xFF, Math.max((rgb >> 8) & 0xFF, rgb & 0xFF));
                if (max < 100) {
                    n++;
                }
            }
        }
        return n;
    }
}
