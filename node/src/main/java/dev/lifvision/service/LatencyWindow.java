package dev.lifvision.service;

import java.util.Arrays;

/** The last N latencies of one kind, for p50/p99 in stats and metrics. Recording is a store into a ring. */
final class LatencyWindow {
    private final long[] ring;
    private long count;

    LatencyWindow(int size) {
        ring = new long[size];
    }

    synchronized void record(long nanos) {
        ring[(int) (count++ % ring.length)] = nanos;
    }

    synchronized long count() {
        return count;
    }

    /** Quantiles (0..1) in milliseconds over the window; NaN when nothing was recorded. */
    double[] quantilesMillis(double... q) {
        long[] copy;
        synchronized (this) {
            int n = (int) Math.min(count, ring.length);
            copy = Arrays.copyOf(ring, n);
        }
        double[] out = new double[q.length];
        if (copy.length == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        Arrays.sort(copy);
        for (int i = 0; i < q.length; i++) {
            int idx = (int) Math.min(copy.length - 1, Math.max(0, Math.ceil(q[i] * copy.length) - 1));
            out[i] = copy[idx] / 1e6;
        }
        return out;
    }
}
