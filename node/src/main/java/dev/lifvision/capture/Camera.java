package dev.lifvision.capture;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera: a capture thread that keeps grabbing frames, and a consumer that takes the newest.
 *
 * <p><b>Latest frame wins.</b> A vision node must judge what the robot sees now, not work through a
 * backlog, so a frame the consumer has not taken when the next one arrives is overwritten (and counted
 * in {@link #dropped()}). Three buffers rotate under a lock (the capture thread's, the latest, the
 * consumer's), so nothing is allocated per frame and neither side copies while holding the lock.
 * Frame ids are renumbered by the camera (1, 2, ...) so they keep increasing across reconnects; a gap
 * between two taken ids is the number of frames dropped between them.
 *
 * <p><b>Failures.</b> An open failure or a read error makes the camera {@link CameraState#OFFLINE}; it
 * retries with a backoff doubling from {@code reconnectInitial} to {@code reconnectMax}. A file without
 * looping ends as {@link CameraState#ENDED}. Native grabs can block forever (a USB camera unplugged
 * mid-frame, a V4L2 driver bug), and such a thread cannot be stopped, so a watchdog declares the camera
 * {@link CameraState#STALLED} after {@code stallTimeout} without a frame, abandons the thread (it is
 * interrupted and its source closed from yet another daemon thread, both allowed to hang), and starts
 * a fresh thread on a fresh source from the supplier. A generation number keeps an abandoned thread
 * that wakes up later from publishing frames or changing the state.
 *
 * <p>The listener is called from the capture, watchdog or closing thread, one change at a time and in
 * order; it should return quickly. Thread-safe; meant for one consumer at a time ({@link #take} calls
 * from several threads are serialised).
 */
public final class Camera implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Camera.class);
    private static final long FPS_WINDOW_NANOS = 2_000_000_000L;
    private static final long CLOSE_WAIT_NANOS = 1_000_000_000L;

    private final CameraSettings settings;
    private final Supplier<FrameSource> sources;
    private final Consumer<CameraStateChange> listener;
    private final String prefix;
    private final long stallNanos, openNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition frameOrEnd = lock.newCondition();
    // Guarded by lock:
    /** Bumped whenever the capture thread is replaced (stall) or stopped (close); stale threads compare and quit. */
    private long generation;
    private boolean started, closed;
    private Thread worker, watchdog;
    private FrameSource current;
    private boolean watching;
    private long deadlineNanos;
    private CameraFrame latest = new CameraFrame();
    private CameraFrame front = new CameraFrame(); // the consumer's; touched outside lock only under takeLock
    private boolean latestFresh;
    private long lastId;
    private final long[] frameTimes = new long[256];

    private final ReentrantLock takeLock = new ReentrantLock();
    /** Serialises listener calls, so that listeners see the changes in the order they happened. */
    private final Object notifyLock = new Object();

    private volatile CameraState state = CameraState.STARTING;
    private volatile long grabbed, dropped, reconnects, lastFrameWallMillis;

    /**
     * @param sources  called for every (re)connection; must return a new, unopened source each time for stall
     *                 recovery to be safe
     * @param listener state changes, or null
     */
    public Camera(CameraSettings settings, Supplier<FrameSource> sources, Consumer<CameraStateChange> listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sources = Objects.requireNonNull(sources, "sources");
        this.listener = listener;
        this.prefix = "camera " + settings.name();
        this.stallNanos = settings.stallTimeout().toNanos();
        this.openNanos = settings.openTimeout().toNanos();
    }

    /**
     * One source, reopened after every failure. After a stall the stuck thread may still be inside it, so a
     * {@link Supplier} of fresh sources is the safer choice for anything native.
     */
    public Camera(CameraSettings settings, FrameSource source, Consumer<CameraStateChange> listener) {
        this(settings, () -> source, listener);
        Objects.requireNonNull(source, "source");
    }

    /** Sources from {@link FrameSources#create}; an unsupported URI fails here rather than on the capture thread. */
    public Camera(CameraSettings settings, Consumer<CameraStateChange> listener) {
        this(settings, fromUri(settings), listener);
    }

    private static Supplier<FrameSource> fromUri(CameraSettings s) {
        FrameSources.create(s); // validates the URI; opens nothing
        return () -> FrameSources.create(s);
    }

    public CameraSettings settings() {
        return settings;
    }

    public String name() {
        return settings.name();
    }

    public CameraState state() {
        return state;
    }

    /** Frames delivered by sources since start (each counted once, taken or dropped). */
    public long grabbed() {
        return grabbed;
    }

    /** Frames overwritten before the consumer took them. */
    public long dropped() {
        return dropped;
    }

    /** New sources opened after a failure or a stall. */
    public long reconnects() {
        return reconnects;
    }

    /** Wall-clock time of the newest frame, 0 before the first. */
    public long lastFrameWallMillis() {
        return lastFrameWallMillis;
    }

    /** Frames per second arriving from the source over the last two seconds (0 when none). */
    public double fpsIn() {
        lock.lock();
        try {
            long now = System.nanoTime();
            int n = (int) Math.min(grabbed, frameTimes.length), inWindow = 0;
            long oldest = now;
            for (int k = 0; k < n; k++) {
                long t = frameTimes[(int) ((grabbed - 1 - k) % frameTimes.length)];
                if (now - t > FPS_WINDOW_NANOS) break;
                inWindow++;
                oldest = t;
            }
            // Dividing by "now - oldest" rather than the frames' own span lets the rate fall when frames stop.
            return inWindow < 2 ? 0 : (inWindow - 1) * 1e9 / Math.max(now - oldest, 1);
        } finally {
            lock.unlock();
        }
    }

    public void start() {
        lock.lock();
        try {
            if (closed) throw new IllegalStateException(prefix + " is closed");
            if (started) throw new IllegalStateException(prefix + " is already started");
            started = true;
            worker = newWorker(++generation);
            watchdog = new Thread(this::watch, "capture-" + name() + "-watchdog");
            watchdog.setDaemon(true);
            worker.start();
            watchdog.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Copies the newest frame not taken before into {@code into} (which grows as needed).
     *
     * @return false when no new frame came within the timeout, or at once when none will come: the camera is
     *         closed, or {@link CameraState#ENDED} and its last frame was taken
     */
    public boolean take(CameraFrame into, long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        if (!takeLock.tryLock(unit.toNanos(timeout), TimeUnit.NANOSECONDS)) return false;
        try {
            lock.lockInterruptibly();
            try {
                if (closed) return false;
                while (!latestFresh) {
                    if (closed || state == CameraState.ENDED) return false;
                    long left = end - System.nanoTime();
                    if (left <= 0) return false;
                    frameOrEnd.awaitNanos(left);
                }
                CameraFrame t = front;
                front = latest;
                latest = t;
                latestFresh = false;
            } finally {
                lock.unlock();
            }
            into.copyFrom(front);
            return true;
        } finally {
            takeLock.unlock();
        }
    }

    /**
     * Stops capturing and closes the source, waiting about a second for both; a thread still blocked in
     * native code after that is left behind (it is a daemon and can no longer publish). The state becomes
     * {@link CameraState#OFFLINE} ("closed") unless it was {@link CameraState#ENDED}. Idempotent.
     */
    @Override
    public void close() {
        Thread w, wd;
        FrameSource src;
        long gen;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            gen = ++generation;
            w = worker;
            wd = watchdog;
            src = current;
            current = null;
            watching = false;
            frameOrEnd.signalAll();
        } finally {
            lock.unlock();
        }
        if (state != CameraState.ENDED) changeState(gen, CameraState.OFFLINE, "closed");
        if (wd != null) wd.interrupt();
        if (w != null) w.interrupt();
        Thread closer = src == null ? null : closeInBackground(src);
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        boolean stopped = join(w, deadline) & join(closer, deadline);
        if (!stopped) {
            log.warn("{}: capture thread still blocked (in native code?) one second after close; leaving it behind", prefix);
        }
    }

    // ---------------------------------------------------------------- capture thread

    private Thread newWorker(long gen) {
        Thread t = new Thread(() -> capture(gen), "capture-" + name());
        t.setDaemon(true);
        // Anything not caught below (an Error) ends the thread; the watchdog then sees no frames and replaces it.
        t.setUncaughtExceptionHandler((th, e) -> log.error("{}: capture thread died", prefix, e));
        return t;
    }

    private void capture(long gen) {
        CameraFrame back = new CameraFrame(); // this thread's own: an abandoned thread keeps its buffer to itself
        long initial = settings.reconnectInitial().toNanos(), max = settings.reconnectMax().toNanos();
        long backoff = initial;
        boolean retry = false;
        while (true) {
            if (retry) {
                if (!sleep(backoff) || !countReconnect(gen)) return;
                backoff = Math.min(backoff * 2, max);
            }
            retry = true;
            FrameSource src;
            try {
                src = Objects.requireNonNull(sources.get(), "the source supplier returned null");
            } catch (RuntimeException e) {
                goOffline(gen, prefix + ": cannot create its source: " + e.getMessage(), backoff);
                continue;
            }
            if (!install(gen, src)) {
                closeQuietly(src);
                return;
            }
            try {
                src.open();
                while (true) {
                    if (!src.grab(back)) {
                        if (uninstall(gen, src)) {
                            closeQuietly(src);
                            changeState(gen, CameraState.ENDED, "end of " + src.describe());
                        }
                        return;
                    }
                    back = publish(gen, back);
                    if (back == null) return; // superseded: whoever did that closes src
                    if (state != CameraState.ONLINE) {
                        changeState(gen, CameraState.ONLINE, "frames from " + src.describe());
                        backoff = initial;
                    }
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                // A superseded thread's failure is the expected result of being interrupted or closed: stay quiet.
                if (!uninstall(gen, src)) return;
                closeQuietly(src);
                String msg = e.getMessage() != null ? e.getMessage() : e.toString();
                if (!msg.startsWith("camera ")) msg = prefix + ": " + src.describe() + ": " + msg;
                goOffline(gen, msg, backoff);
            }
        }
    }

    private void goOffline(long gen, String reason, long backoffNanos) {
        String r = reason + "; retrying in " + Duration.ofNanos(backoffNanos).toMillis() + " ms";
        if (!changeState(gen, CameraState.OFFLINE, r)) log.debug("{}: still offline: {}", prefix, r);
    }

    private boolean install(long gen, FrameSource src) {
        lock.lock();
        try {
            if (gen != generation) return false;
            current = src;
            // Open and first frame together: a hung open (an RTSP server that accepts and says nothing) is a stall too.
            watching = true;
            deadlineNanos = System.nanoTime() + openNanos + stallNanos;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean uninstall(long gen, FrameSource src) {
        lock.lock();
        try {
            if (gen != generation) return false;
            if (current == src) current = null;
            watching = false;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean countReconnect(long gen) {
        lock.lock();
        try {
            if (gen != generation) return false;
            reconnects++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** @return the buffer to fill next, or null when this thread has been superseded */
    private CameraFrame publish(long gen, CameraFrame filled) {
        lock.lock();
        try {
            if (gen != generation) return null;
            filled.id = ++lastId;
            CameraFrame free = latest;
            latest = filled;
            if (latestFresh) dropped++;
            latestFresh = true;
            long now = System.nanoTime();
            frameTimes[(int) (grabbed % frameTimes.length)] = now;
            grabbed++;
            lastFrameWallMillis = filled.wallMillis;
            deadlineNanos = now + stallNanos;
            frameOrEnd.signalAll();
            return free;
        } finally {
            lock.unlock();
        }
    }

    private static boolean sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            return false; // only close() and the watchdog interrupt: either way this thread is done
        }
    }

    // ---------------------------------------------------------------- watchdog

    private void watch() {
        long interval = Math.max(5_000_000L, Math.min(stallNanos / 4, 250_000_000L));
        while (true) {
            try {
                TimeUnit.NANOSECONDS.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            if (closed()) return;
            checkStall();
        }
    }

    private boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void checkStall() {
        Thread stuck, fresh;
        FrameSource stuckSource;
        long gen;
        lock.lock();
        try {
            if (closed || !watching || System.nanoTime() - deadlineNanos < 0) return;
            stuck = worker;
            stuckSource = current;
            current = null;
            watching = false;
            gen = ++generation;
            reconnects++;
            fresh = newWorker(gen);
            worker = fresh;
        } finally {
            lock.unlock();
        }
        changeState(gen, CameraState.STALLED, "no frame for " + settings.stallTimeout().toMillis() + " ms from "
                + (stuckSource != null ? stuckSource.describe() : "its source") + "; abandoning the capture thread and reconnecting");
        stuck.interrupt();
        if (stuckSource != null) closeInBackground(stuckSource);
        fresh.start();
    }

    // ---------------------------------------------------------------- helpers

    /** @return false when the change is stale (superseded generation) or no change */
    private boolean changeState(long gen, CameraState to, String reason) {
        synchronized (notifyLock) {
            CameraStateChange change;
            lock.lock();
            try {
                if (gen != generation || state == to) return false;
                change = new CameraStateChange(name(), state, to, reason, System.currentTimeMillis());
                state = to;
                if (to == CameraState.ENDED) frameOrEnd.signalAll();
            } finally {
                lock.unlock();
            }
            if ((to == CameraState.OFFLINE && !closed) || to == CameraState.STALLED) {
                log.warn("{}: {} -> {}: {}", prefix, change.oldState(), to, reason);
            } else {
                log.info("{}: {} -> {}: {}", prefix, change.oldState(), to, reason);
            }
            if (listener != null) {
                try {
                    listener.accept(change);
                } catch (RuntimeException e) {
                    log.warn("{}: state listener failed", prefix, e);
                }
            }
            return true;
        }
    }

    /** Closing may block as long as a stuck grab does, so it gets its own thread, which nobody waits for forever. */
    private Thread closeInBackground(FrameSource src) {
        Thread t = new Thread(() -> closeQuietly(src), "capture-" + name() + "-closer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void closeQuietly(FrameSource src) {
        try {
            src.close();
        } catch (RuntimeException | LinkageError e) {
            log.debug("{}: closing {} failed", prefix, src.describe(), e);
        }
    }

    private static boolean join(Thread t, long deadlineNanos) {
        if (t == null || t == Thread.currentThread()) return true;
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) TimeUnit.NANOSECONDS.timedJoin(t, left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }
}
