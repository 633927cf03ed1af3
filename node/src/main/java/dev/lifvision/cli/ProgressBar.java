package dev.lifvision.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar with rate and ETA on stderr. On a terminal it redraws in place at most
 * four times a second; otherwise (logs, CI) it prints a line every 10 %. Thread-safe.
 */
public final class ProgressBar {
    private final PrintWriter out;
    private final String label;
    private final long total;
    private final String unit;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastDecile = -1;

    public ProgressBar(PrintWriter out, String label, long total, String unit) {
        this(out, label, total, unit, System.console() != null);
    }

    public ProgressBar(PrintWriter out, String label, long total, String unit, boolean terminal) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.unit = unit;
        this.terminal = terminal;
    }

    public synchronized void update(long done) {
        update(done, null);
    }

    /** @param status extra text after the ETA (loss, accuracy), or null */
    public synchronized void update(long done, String status) {
        long now = System.nanoTime();
        int decile = (int) (10 * done / total);
        boolean finished = done >= total;
        if (terminal) {
            if (!finished && now - lastDraw < 250_000_000L) {
                return;
            }
        } else if (decile == lastDecile && !finished) {
            return;
        }
        lastDraw = now;
        lastDecile = decile;
        out.print(render(done, now) + (status == null ? "" : " " + status) + (terminal && !finished ? "\r" : "\n"));
        out.flush();
    }

    String render(long done, long now) {
        double secs = (now - start) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        int width = 30;
        int filled = (int) (width * Math.min(done, total) / total);
        return String.format(Locale.ROOT, "%s [%s%s] %d/%d %5.1f%% %.1f %s/s ETA %s", label, "#".repeat(filled),
                ".".repeat(width - filled), done, total, 100.0 * done / total, rate, unit,
                done >= total ? "done in " + duration(secs) : duration(eta));
    }

    static String duration(double secs) {
        if (Double.isNaN(secs) || Double.isInfinite(secs)) {
            return "--:--";
        }
        long s = Math.round(secs);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
