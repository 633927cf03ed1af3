package dev.lifvision.capture;

import java.io.InterruptedIOException;

/**
 * Delivers recorded frames on a live camera's schedule: frame k is due k periods after the first.
 * Scheduling from the first frame instead of sleeping one period per frame keeps decode time from
 * accumulating into drift.
 */
final class Pacer {
    /** Further behind than this (a debugger pause, a suspended machine), start a new schedule instead of bursting. */
    private static final long MAX_LAG_NANOS = 1_000_000_000L;

    private long periodNanos;
    private long originNanos;
    private long frames = -1;

    /** @param fps frames per second, 0 or less = no pacing */
    void reset(double fps) {
        periodNanos = fps > 0 ? Math.round(1e9 / fps) : 0;
        frames = -1;
    }

    boolean active() {
        return periodNanos > 0;
    }

    /** Blocks until the next frame is due; the first frame is due at once. */
    void awaitNext() throws InterruptedIOException {
        if (periodNanos == 0) return;
        long now = System.nanoTime();
        if (frames < 0) {
            originNanos = now;
            frames = 0;
            return;
        }
        frames++;
        long due = originNanos + frames * periodNanos;
        if (now - due > MAX_LAG_NANOS) {
            originNanos = now;
            frames = 0;
            return;
        }
        for (long left = due - now; left > 0; left = due - System.nanoTime()) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing frames");
            }
        }
    }
}
