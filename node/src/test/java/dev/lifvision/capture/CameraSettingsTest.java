package dev.lifvision.capture;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CameraSettingsTest {
    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void defaults() {
        CameraSettings s = CameraSettings.of("front", "v4l2:///dev/video0");
        assertEquals(0, s.width());
        assertEquals(0, s.fps());
        assertFalse(s.loop());
        assertTrue(s.pace());
        assertEquals(Duration.ofSeconds(5), s.stallTimeout());
        assertEquals(Duration.ofSeconds(5), s.openTimeout());
        assertEquals(Duration.ofSeconds(1), s.reconnectInitial());
        assertEquals(Duration.ofSeconds(30), s.reconnectMax());
        CameraSettings t = s.withSize(640, 480).withFps(15).withLoop(true).withPace(false);
        assertEquals(640, t.width());
        assertEquals(480, t.height());
        assertEquals(15, t.fps());
        assertTrue(t.loop());
        assertFalse(t.pace());
    }

    @Test
    void invalidValuesNameTheFieldAndValue() {
        CameraSettings s = CameraSettings.of("front", "v4l2:///dev/video0");
        assertEquals("cameras.front.fps must be >= 0, got -1", error(() -> s.withFps(-1)));
        assertEquals("cameras.front.fps must be >= 0, got NaN", error(() -> s.withFps(Double.NaN)));
        assertEquals("cameras.front.width must be >= 0, got -640", error(() -> s.withSize(-640, 480)));
        assertEquals("cameras.front.width and height must both be set or both be 0, got 640x0", error(() -> s.withSize(640, 0)));
        assertEquals("cameras.front.stallTimeout must be > 0, got PT0S", error(() -> s.withStallTimeout(Duration.ZERO)));
        assertEquals("cameras.front.openTimeout must be set", error(() -> s.withOpenTimeout(null)));
        assertEquals("cameras.front.reconnectMax must be >= reconnectInitial (PT10S), got PT1S",
                error(() -> s.withReconnect(Duration.ofSeconds(10), Duration.ofSeconds(1))));
        assertTrue(error(() -> s.withFps(5).withStallTimeout(Duration.ofMillis(100)))
                .startsWith("cameras.front.stallTimeout must be longer than one frame at 5 fps"));
        assertEquals("cameras.front.uri must not be empty", error(() -> CameraSettings.of("front", " ")));
        assertTrue(error(() -> CameraSettings.of("front door", "x.mp4")).contains("'front door'"));
    }
}
