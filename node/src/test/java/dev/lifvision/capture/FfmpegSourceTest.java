package dev.lifvision.capture;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegSourceTest {
    @TempDir static Path dir;
    static Path ramp30, rgb;

    @BeforeAll
    static void videos() throws IOException {
        ramp30 = Videos.greyRamp(dir.resolve("ramp30.mp4"), 30, 30);
        rgb = Videos.write(dir.resolve("rgb.avi"), 3, 30, i -> new int[] {0xFF0000, 0x00FF00, 0x0000FF}[i]);
    }

    private static List<Integer> readAll(FrameSource src, CameraFrame f, int max) throws IOException {
        List<Integer> indices = new ArrayList<>();
        while (indices.size() < max && src.grab(f)) {
            assertEquals(indices.size() + 1, f.id);
            indices.add(Videos.indexOf(Videos.mean(f, 1)));
        }
        return indices;
    }

    @Test
    void decodesEveryFrameInOrderAtItsSize() throws IOException {
        FrameSource src = FrameSources.create(Videos.settings("t", ramp30).withPace(false));
        CameraFrame f = new CameraFrame();
        src.open();
        try {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) expected.add(i);
            assertEquals(expected, readAll(src, f, 100));
            assertEquals(Videos.W, f.width);
            assertEquals(Videos.H, f.height);
            assertEquals(3, f.channels);
            assertEquals(Videos.W * Videos.H * 3, f.byteCount());
            int centre = 3 * (Videos.H / 2 * Videos.W + Videos.W / 2);
            assertEquals(Videos.level(29), f.pixels[centre] & 0xFF, 3);
            assertFalse(src.grab(f), "still at the end");
        } finally {
            src.close();
        }
        src.close(); // idempotent
        assertThrows(IOException.class, () -> src.grab(f));
    }

    @Test
    void channelsAreInRgbOrder() throws IOException {
        FrameSource src = FrameSources.create(Videos.settings("t", rgb).withPace(false));
        src.open();
        try {
            CameraFrame f = new CameraFrame();
            for (int expected = 0; expected < 3; expected++) {
                assertTrue(src.grab(f));
                for (int c = 0; c < 3; c++) {
                    int v = Videos.mean(f, c);
                    if (c == expected) assertTrue(v > 200, "frame " + expected + " channel " + c + " = " + v);
                    else assertTrue(v < 60, "frame " + expected + " channel " + c + " = " + v);
                }
            }
        } finally {
            src.close();
        }
    }

    @Test
    void loopsAndReopens() throws IOException {
        FrameSource src = FrameSources.create(Videos.settings("t", ramp30).withPace(false).withLoop(true));
        CameraFrame f = new CameraFrame();
        src.open();
        List<Integer> got = readAll(src, f, 65);
        src.close();
        assertEquals(65, got.size());
        for (int i = 0; i < 65; i++) assertEquals(i % 30, got.get(i), "frame " + i + " of " + got);
        src.open(); // after close: from the start again
        try {
            assertEquals(List.of(0, 1), readAll(src, f, 2));
        } finally {
            src.close();
        }
    }

    @Test
    void requestedSizeIsScaledByFfmpeg() throws IOException {
        FrameSource src = FrameSources.create(Videos.settings("t", ramp30).withPace(false).withSize(32, 24));
        src.open();
        try {
            CameraFrame f = new CameraFrame();
            assertTrue(src.grab(f));
            assertEquals(32, f.width);
            assertEquals(24, f.height);
            assertEquals(Videos.level(0), Videos.mean(f, 0), 3);
        } finally {
            src.close();
        }
    }

    @Test
    void pacingDeliversAtTheFileRate() throws IOException {
        CameraFrame f = new CameraFrame();
        long paced = timeToRead(FrameSources.create(Videos.settings("t", ramp30)), f);
        long fast = timeToRead(FrameSources.create(Videos.settings("t", ramp30).withPace(false)), f);
        // 30 frames at 30 fps: 29 frame periods after the first, about 0.97 s.
        assertTrue(paced > 700, "paced read took " + paced + " ms");
        assertTrue(fast < paced / 2, "unpaced read took " + fast + " ms, paced " + paced + " ms");
    }

    private static long timeToRead(FrameSource src, CameraFrame f) throws IOException {
        src.open();
        try {
            long t0 = System.nanoTime();
            assertEquals(30, readAll(src, f, 100).size());
            return (System.nanoTime() - t0) / 1_000_000;
        } finally {
            src.close();
        }
    }

    @Test
    void missingDeviceFailsFastAndSaysSo() {
        FrameSource src = FrameSources.create(CameraSettings.of("front", "v4l2:///dev/video99"));
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, src::open);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1000, "took " + ms + " ms");
        assertEquals("camera front: device /dev/video99 does not exist (is the camera plugged in? ls /dev/video*)", e.getMessage());
        src.close();
    }

    @Test
    void missingFileSaysSo() {
        Path missing = dir.resolve("nope.mp4");
        FrameSource src = FrameSources.create(Videos.settings("front", missing));
        IOException e = assertThrows(IOException.class, src::open);
        assertEquals("camera front: video file " + missing + " not found", e.getMessage());
    }

    @Test
    void notAVideoSaysWhichFileAndWhy() throws IOException {
        Path junk = java.nio.file.Files.write(dir.resolve("junk.mp4"), new byte[] {1, 2, 3, 4});
        IOException e = assertThrows(IOException.class, FrameSources.create(Videos.settings("front", junk))::open);
        assertTrue(e.getMessage().startsWith("camera front: cannot open video file " + junk + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("FFmpegLogCallback"), e.getMessage());
    }

    @Test
    void missingSystemLibraryNamesThePackage() {
        String m = FfmpegNatives.avdeviceProblem(new UnsatisfiedLinkError(
                "/tmp/javacpp/libavdevice.so.62: libpulse.so.0: cannot open shared object file: No such file or directory"));
        assertTrue(m.contains("libpulse.so.0") && m.endsWith("install it with: sudo apt-get install libpulse0"), m);
    }
}
