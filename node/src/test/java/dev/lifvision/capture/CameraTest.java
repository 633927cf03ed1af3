package dev.lifvision.capture;

import static dev.lifvision.capture.CameraState.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraTest {
    @TempDir static Path dir;
    static Path ramp10, ramp60;

    @BeforeAll
    static void videos() throws IOException {
        ramp10 = Videos.greyRamp(dir.resolve("ramp10.mp4"), 10, 30);
        ramp60 = Videos.greyRamp(dir.resolve("ramp60.mp4"), 60, 30);
    }

    private final List<CameraStateChange> changes = new CopyOnWriteArrayList<>();

    private List<String> transitions() {
        List<String> t = new ArrayList<>();
        for (CameraStateChange c : changes) t.add(c.oldState() + "->" + c.newState());
        return t;
    }

    private static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out after " + timeoutMs + " ms waiting for " + what);
            Thread.sleep(5);
        }
    }

    private static boolean captureThreadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("capture-" + name) && t.isAlive());
    }

    @Test
    void fileWithoutLoopEnds() throws Exception {
        CameraSettings s = Videos.settings("ends", ramp10).withPace(false);
        try (Camera cam = new Camera(s, changes::add)) {
            assertEquals(STARTING, cam.state());
            cam.start();
            await("ENDED reported", 5000, () -> transitions().contains("ONLINE->ENDED"));
            assertEquals(List.of("STARTING->ONLINE", "ONLINE->ENDED"), transitions());
            assertEquals("ends", changes.get(1).camera());
            assertTrue(changes.get(1).reason().contains(ramp10.toString()), changes.get(1).reason());
            assertEquals(10, cam.grabbed());
            assertEquals(0, cam.reconnects());
            CameraFrame f = new CameraFrame();
            assertTrue(cam.take(f, 1, TimeUnit.SECONDS), "the last frame is still there to take");
            assertEquals(10, f.id);
            assertEquals(9, Videos.indexOf(Videos.mean(f, 0)));
            assertTrue(f.wallMillis > 0 && f.wallMillis == cam.lastFrameWallMillis());
            long t0 = System.nanoTime();
            assertFalse(cam.take(f, 5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "take returns at once once nothing more will come");
        }
        assertEquals(ENDED, changes.get(changes.size() - 1).newState(), "close after the end adds no change");
    }

    @Test
    void loopingFileKeepsGoing() throws Exception {
        CameraSettings s = Videos.settings("loops", ramp10).withLoop(true).withFps(100);
        try (Camera cam = new Camera(s, changes::add)) {
            cam.start();
            await("25 frames", 5000, () -> cam.grabbed() >= 25);
            assertEquals(ONLINE, cam.state());
            assertEquals(List.of("STARTING->ONLINE"), transitions());
            double fps = cam.fpsIn();
            assertTrue(fps > 40 && fps < 140, "paced at 100 fps, measured " + fps);
        }
        assertEquals(List.of("STARTING->ONLINE", "ONLINE->OFFLINE"), transitions());
        assertEquals("closed", changes.get(1).reason());
    }

    @Test
    void slowConsumerGetsTheLatestFrameAndDropsAreCounted() throws Exception {
        CameraSettings s = Videos.settings("latest", ramp60).withFps(100); // 0.6 s
        try (Camera cam = new Camera(s, changes::add)) {
            cam.start();
            CameraFrame f = new CameraFrame();
            List<Long> ids = new ArrayList<>();
            while (cam.take(f, 3, TimeUnit.SECONDS)) {
                ids.add(f.id);
                // Ids are renumbered by the camera; without reconnects they match the file's frame numbers.
                assertEquals(f.id - 1, Videos.indexOf(Videos.mean(f, 0)), "pixels belong to frame " + f.id);
                Thread.sleep(40);
            }
            assertEquals(ENDED, cam.state());
            for (int i = 1; i < ids.size(); i++) assertTrue(ids.get(i) > ids.get(i - 1), "ids " + ids);
            assertEquals(60, cam.grabbed());
            assertTrue(cam.dropped() > 0, "dropped " + cam.dropped());
            assertEquals(cam.grabbed(), ids.size() + cam.dropped(), "every frame is either taken or dropped: " + ids);
        }
    }

    /** A stand-in for a native grab that hangs: ignores interrupts, and its close waits for the grab like JavaCV's. */
    static class HangingSource implements FrameSource {
        final int value, hangAfter;
        final CountDownLatch release;
        volatile boolean hanging, woke, closed;
        volatile long lastFrameWallMillis;
        int n;

        HangingSource(int value, int hangAfter, CountDownLatch release) {
            this.value = value;
            this.hangAfter = hangAfter;
            this.release = release;
        }

        @Override
        public void open() {}

        @Override
        public boolean grab(CameraFrame into) throws IOException {
            if (n == hangAfter) {
                hanging = true;
                awaitUninterruptibly(release);
                woke = true;
            } else {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
            into.setSize(4, 2);
            java.util.Arrays.fill(into.pixels, 0, into.byteCount(), (byte) value);
            into.id = ++n;
            into.grabNanos = System.nanoTime();
            into.wallMillis = lastFrameWallMillis = System.currentTimeMillis();
            return true;
        }

        @Override
        public void close() {
            if (hanging) awaitUninterruptibly(release);
            closed = true;
        }

        @Override
        public String describe() {
            return "test source " + value;
        }

        private static void awaitUninterruptibly(CountDownLatch latch) {
            boolean interrupted = false;
            while (true) {
                try {
                    latch.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Test
    void watchdogReplacesAStuckCaptureThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<HangingSource> made = new CopyOnWriteArrayList<>();
        CameraSettings s = CameraSettings.of("stuck", "test:").withStallTimeout(Duration.ofMillis(300));
        Camera cam = new Camera(s, () -> {
            HangingSource src = made.isEmpty() ? new HangingSource(255, 5, release) : new HangingSource(7, -1, release);
            made.add(src);
            return src;
        }, changes::add);
        try {
            cam.start();
            await("STALLED", 3000, () -> cam.state() == STALLED || transitions().contains("ONLINE->STALLED"));
            HangingSource first = made.get(0);
            CameraStateChange stalled = changes.stream().filter(c -> c.newState() == STALLED).findFirst().orElseThrow();
            long silentMs = stalled.wallMillis() - first.lastFrameWallMillis;
            assertTrue(silentMs >= 250 && silentMs < 1000, "stalled after " + silentMs + " ms without frames");
            assertTrue(first.hanging);

            await("ONLINE again", 3000, () -> cam.state() == ONLINE && changes.size() >= 3);
            assertEquals(List.of("STARTING->ONLINE", "ONLINE->STALLED", "STALLED->ONLINE"), transitions());
            assertTrue(changes.get(1).reason().contains("test source 255"), changes.get(1).reason());
            assertEquals(2, made.size(), "one fresh source after the stall");
            assertEquals(1, cam.reconnects());
            CameraFrame f = new CameraFrame();
            long before = cam.grabbed();
            assertTrue(cam.take(f, 1, TimeUnit.SECONDS));
            assertEquals(7, f.pixels[0], "frames come from the new source");
            assertTrue(f.id > 5);

            // The abandoned thread wakes up with a frame in hand: it must not be published.
            release.countDown();
            await("the stuck grab to return", 2000, () -> first.woke && first.closed);
            long end = System.nanoTime() + 200_000_000L;
            long lastId = f.id;
            while (System.nanoTime() < end) {
                assertTrue(cam.take(f, 1, TimeUnit.SECONDS));
                assertEquals(7, f.pixels[0], "frame " + f.id + " came from the abandoned source");
                assertTrue(f.id > lastId);
                lastId = f.id;
            }
            assertTrue(cam.grabbed() > before);
            assertEquals(ONLINE, cam.state());
            assertEquals(3, changes.size(), "the abandoned thread changed no state: " + transitions());
        } finally {
            release.countDown();
            cam.close();
        }
        assertTrue(made.get(1).closed);
    }

    @Test
    void readErrorGoesOfflineAndReconnects() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        CameraSettings s = CameraSettings.of("flaky", "test:").withReconnect(Duration.ofMillis(20), Duration.ofMillis(20));
        try (Camera cam = new Camera(s, () -> new HangingSource(calls.incrementAndGet(), -1, never) {
            @Override
            public boolean grab(CameraFrame into) throws IOException {
                if (value == 1 && n == 3) throw new IOException("camera flaky: USB read failed");
                return super.grab(into);
            }
        }, changes::add)) {
            cam.start();
            await("ONLINE after the error", 3000, () -> changes.size() >= 3);
            assertEquals(List.of("STARTING->ONLINE", "ONLINE->OFFLINE", "OFFLINE->ONLINE"), transitions());
            assertEquals("camera flaky: USB read failed; retrying in 20 ms", changes.get(1).reason());
            assertEquals(1, cam.reconnects());
            CameraFrame f = new CameraFrame();
            assertTrue(cam.take(f, 1, TimeUnit.SECONDS));
            assertEquals(2, f.pixels[0]);
            assertTrue(f.id > 3, "ids keep increasing across reconnects: " + f.id);
        }
    }

    @Test
    void closeDoesNotWaitForeverForAHungGrab() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HangingSource src = new HangingSource(1, 0, release);
        Camera cam = new Camera(CameraSettings.of("hung", "test:"), src, changes::add);
        try {
            cam.start();
            await("the grab to hang", 2000, () -> src.hanging);
            long t0 = System.nanoTime();
            cam.close();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1500, "close took " + ms + " ms");
            assertEquals(OFFLINE, cam.state());
        } finally {
            release.countDown();
        }
        await("the abandoned thread to end once the grab returns", 2000, () -> !captureThreadAlive("hung"));
        assertEquals(0, cam.grabbed(), "the frame it returned after close was not published");
        assertTrue(src.closed);
    }

    @Test
    void openFailuresRetryWithBackoffUntilTheSourceComesBack() throws Exception {
        Path missing = dir.resolve("later.mp4");
        CameraSettings s = CameraSettings.of("retry", missing.toString()).withPace(false)
                .withReconnect(Duration.ofMillis(20), Duration.ofMillis(80));
        AtomicInteger calls = new AtomicInteger();
        long t0 = System.nanoTime();
        try (Camera cam = new Camera(s, () -> FrameSources.create(calls.incrementAndGet() <= 3 ? s
                : Videos.settings("retry", ramp10).withPace(false)), changes::add)) {
            cam.start();
            await("ENDED reported", 5000, () -> transitions().contains("ONLINE->ENDED"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 20 + 40 + 80, "three waits of 20, 40, 80 ms; took " + ms);
            assertEquals(List.of("STARTING->OFFLINE", "OFFLINE->ONLINE", "ONLINE->ENDED"), transitions());
            String reason = changes.get(0).reason();
            assertTrue(reason.startsWith("camera retry: video file " + missing + " not found; retrying in 20 ms"), reason);
            assertEquals(4, calls.get());
            assertEquals(3, cam.reconnects());
            assertEquals(10, cam.grabbed());
        }
    }

    @Test
    void missingDeviceGoesOffline() throws Exception {
        try (Camera cam = new Camera(CameraSettings.of("dev", "v4l2:///dev/video99"), changes::add)) {
            cam.start();
            // the listener runs just after the state changes: wait for the call, not only the state
            await("OFFLINE reported", 2000, () -> cam.state() == OFFLINE && !changes.isEmpty());
            assertTrue(changes.get(0).reason().contains("/dev/video99 does not exist"), changes.get(0).reason());
        }
    }

    @Test
    void unsupportedUriFailsAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new Camera(CameraSettings.of("x", "ftp://a/b"), null));
    }

    @Test
    void closeStopsTheCaptureThread() throws Exception {
        Camera cam = new Camera(Videos.settings("closing", ramp10).withLoop(true), changes::add);
        cam.start();
        await("ONLINE", 5000, () -> cam.state() == ONLINE);
        assertTrue(captureThreadAlive("closing"));
        long t0 = System.nanoTime();
        cam.close();
        await("the capture thread to end", 2000, () -> !captureThreadAlive("closing"));
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
        assertEquals(OFFLINE, cam.state());
        long t1 = System.nanoTime();
        assertFalse(cam.take(new CameraFrame(), 1, TimeUnit.SECONDS), "no frames after close");
        assertTrue(System.nanoTime() - t1 < 500_000_000L, "and no waiting for them");
        cam.close(); // idempotent
        assertThrows(IllegalStateException.class, cam::start);
    }
}
