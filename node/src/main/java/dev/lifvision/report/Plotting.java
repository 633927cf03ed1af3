package dev.lifvision.report;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;

/** Scales, tick placement, number formatting and PNG output shared by {@link LinePlot} and {@link BarPlot}. */
final class Plotting {

    static {
        // Plots are written by the trainer and by calibration runs, often over SSH or in CI. If a DISPLAY
        // happens to be set, AWT would otherwise try to talk to a window system we never need: everything
        // here draws into a BufferedImage. Only set when unset, so an application's explicit choice wins.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /**
     * Okabe-Ito, reordered so that the first entries (the ones most plots use) are the most distinct for
     * every kind of colour-vision deficiency; yellow is late because it is faint on white, black last
     * because axes and text are near-black.
     */
    static final Color[] PALETTE = {
        new Color(0x0072B2), // blue
        new Color(0xD55E00), // vermillion
        new Color(0x009E73), // bluish green
        new Color(0xE69F00), // orange
        new Color(0xCC79A7), // reddish purple
        new Color(0x56B4E9), // sky blue
        new Color(0xF0E442), // yellow
        new Color(0x000000), // black
    };

    static final int MIN_SIZE = 100;
    static final double MARGIN = 0.05;

    private Plotting() {
    }

    static Color color(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    static void checkSize(int width, int height) {
        if (width < MIN_SIZE || height < MIN_SIZE) {
            throw new IllegalArgumentException("image size " + width + "x" + height
                    + " is too small: width and height must be at least " + MIN_SIZE + " pixels");
        }
    }

    /** A data-to-unit mapping: {@code t(min) == 0}, {@code t(max) == 1}. */
    record Scale(double min, double max, boolean log) {
        double t(double v) {
            if (log) {
                double a = Math.log10(min);
                return (Math.log10(v) - a) / (Math.log10(max) - a);
            }
            return (v - min) / (max - min);
        }

        /** Whether the value can be placed on this scale at all (a log axis has no place for v <= 0). */
        boolean accepts(double v) {
            return Double.isFinite(v) && (!log || v > 0);
        }
    }

    record Ticks(double[] values, String[] labels) {
    }

    /** What a render produced, with the geometry tests need to look at the right pixels. */
    record Rendered(BufferedImage image, Rectangle plot, Rectangle legend, boolean textDrawn) {
    }

    /**
     * Range around [lo, hi] with a relative margin, so that extreme points and their markers do not sit on
     * the frame. For a log axis the margin is taken in decades. {@code lo > hi} means "no data".
     */
    static Scale autoScale(double lo, double hi, boolean log) {
        if (!(lo <= hi)) {
            return log ? new Scale(1, 10, true) : new Scale(0, 1, false);
        }
        if (log) {
            double a = Math.log10(lo);
            double b = Math.log10(hi);
            double pad = a == b ? 0.5 : (b - a) * MARGIN;
            return new Scale(Math.pow(10, a - pad), Math.pow(10, b + pad), true);
        }
        if (lo == hi) {
            // A flat curve (e.g. a constant learning rate) still needs a non-empty axis.
            double d = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new Scale(lo - d, hi + d, false);
        }
        double pad = (hi - lo) * MARGIN;
        return new Scale(lo - pad, hi + pad, false);
    }

    static Ticks ticks(Scale s, int target) {
        return s.log() ? logTicks(s.min(), s.max(), target) : linearTicks(s.min(), s.max(), target);
    }

    /** Ticks at multiples of a 1-2-5 step, the values a reader can interpolate between in their head. */
    static Ticks linearTicks(double min, double max, int target) {
        double step = niceStep((max - min) / Math.max(1, target));
        double k0 = Math.ceil(min / step - 1e-9);
        double k1 = Math.floor(max / step + 1e-9);
        if (!(k1 >= k0) || k1 - k0 > 1000) {
            return new Ticks(new double[] {min, max}, new String[] {format(min, 3), format(max, 3)});
        }
        int n = (int) (k1 - k0) + 1;
        int dec = decimals(step);
        double[] v = new double[n];
        String[] l = new String[n];
        for (int i = 0; i < n; i++) {
            // k * step rather than accumulating step: no drift such as 0.30000000000000004.
            v[i] = (k0 + i) * step;
            l[i] = format(v[i], dec);
        }
        return new Ticks(v, l);
    }

    static Ticks logTicks(double min, double max, int target) {
        double a = Math.log10(min);
        double b = Math.log10(max);
        List<Double> vals = new ArrayList<>();
        if (b - a >= 2.5) {
            int d0 = (int) Math.ceil(a - 1e-9);
            int d1 = (int) Math.floor(b + 1e-9);
            int stride = Math.max(1, (int) Math.ceil((d1 - d0 + 1) / (double) Math.max(1, target)));
            for (int d = d0; d <= d1; d++) {
                if ((d - d0) % stride == 0) {
                    vals.add(Math.pow(10, d));
                }
            }
        } else {
            // Over one or two decades, powers of ten alone leave the axis nearly unlabelled.
            for (int d = (int) Math.floor(a); d <= (int) Math.ceil(b); d++) {
                for (int m : new int[] {1, 2, 5}) {
                    double v = m * Math.pow(10, d);
                    if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) {
                        vals.add(v);
                    }
                }
            }
        }
        if (vals.size() < 2) {
            // Less than a factor of ~2 in range: plain linear ticks read better than a lone "1".
            Ticks lin = linearTicks(min, max, target);
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < lin.values().length; i++) {
                if (lin.values()[i] > 0) {
                    keep.add(i);
                }
            }
            double[] v = new double[keep.size()];
            String[] l = new String[keep.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = lin.values()[keep.get(i)];
                l[i] = lin.labels()[keep.get(i)];
            }
            return new Ticks(v, l);
        }
        double[] v = new double[vals.size()];
        String[] l = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = vals.get(i);
            l[i] = logLabel(v[i]);
        }
        return new Ticks(v, l);
    }

    static double niceStep(double raw) {
        if (!(raw > 0) || !Double.isFinite(raw)) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        return nice * mag;
    }

    /** Decimals needed to tell ticks {@code step} apart: 0.05 needs two, 20 needs none. */
    static int decimals(double step) {
        return (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    }

    static String format(double v, int decimals) {
        if (v == 0) {
            return "0"; // also turns -0.0 into "0"
        }
        if (decimals > 6 || Math.abs(v) >= 1e7) {
            return trimExponent(String.format(Locale.ROOT, "%.3g", v));
        }
        // Locale.ROOT: a German default locale would otherwise print "0,5" in some plots and not others.
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String logLabel(double v) {
        int e = (int) Math.floor(Math.log10(v) + 1e-9);
        if (e >= -4 && e <= 5) {
            return format(v, Math.max(0, -e));
        }
        long m = Math.round(v / Math.pow(10, e));
        return m + "e" + e;
    }

    /** "1.00e-09" → "1e-9": the long form wastes left margin. */
    private static String trimExponent(String s) {
        int i = s.indexOf('e');
        if (i < 0) {
            return s;
        }
        String mant = s.substring(0, i);
        if (mant.contains(".")) {
            mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        int exp = Integer.parseInt(s.substring(i + 1));
        return mant + "e" + exp;
    }

    /**
     * Writes next to the target and renames, so that a reader (a browser refreshing the learning curve
     * while training runs) never sees a half-written PNG. The temporary name starts with a dot so that
     * globs such as *.png do not pick it up.
     */
    static void writePng(BufferedImage image, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: it creates the file rw------- and the rename would keep that, making
        // the plot unreadable to a web server or another user; CREATE_NEW honours the umask instead.
        Path tmp = dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                if (!ImageIO.write(image, "png", out)) {
                    throw new IOException("no PNG writer available in this JDK");
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
