package dev.lifvision.capture;

import java.time.Duration;

/**
 * How to capture one camera. Messages name the setting as it appears in the node's configuration
 * ({@code cameras.NAME.FIELD}) so that a bad config file can be fixed without reading code.
 *
 * @param name             short name used in thread names, logs and messages, e.g. "front"
 * @param uri              {@code v4l2:///dev/video0}, {@code file:///abs/clip.mp4} (or a plain path ending
 *                         .mp4/.avi/.mkv/.mov), {@code rtsp://...}, {@code http(s)://...}, {@code dir:///path}
 * @param width            requested frame width, 0 = the source's own (devices and streams are asked for it,
 *                         FFmpeg scales to it when the source does not comply); must be set together with height
 * @param height           requested frame height, 0 = the source's own
 * @param fps              requested frame rate, 0 = the source's; for paced files and folders the delivery rate
 * @param loop             files and folders: start again at the end instead of ending
 * @param pace             files and folders: deliver frames at their frame rate like a live camera, instead of
 *                         as fast as they decode (which would only measure the decoder)
 * @param stallTimeout     no frame for this long: the capture thread is considered stuck and replaced
 * @param openTimeout      how long opening may take, and the connect/read timeout of network streams
 * @param reconnectInitial first wait after a failure; doubles on each further failure
 * @param reconnectMax     longest wait between attempts
 */
public record CameraSettings(String name, String uri, int width, int height, double fps, boolean loop, boolean pace,
                             Duration stallTimeout, Duration openTimeout, Duration reconnectInitial,
                             Duration reconnectMax) {

    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECONNECT_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);

    public CameraSettings {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            // The name becomes part of thread names, log lines and config keys: keep it plain.
            throw new IllegalArgumentException("camera name must be letters, digits, '_', '-' or '.', got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        String p = "cameras." + name + ".";
        if (uri == null || uri.isBlank()) throw new IllegalArgumentException(p + "uri must not be empty");
        if (width < 0) throw new IllegalArgumentException(p + "width must be >= 0, got " + width);
        if (height < 0) throw new IllegalArgumentException(p + "height must be >= 0, got " + height);
        if ((width == 0) != (height == 0)) {
            throw new IllegalArgumentException(p + "width and height must both be set or both be 0, got " + width + "x" + height);
        }
        if (!(fps >= 0) || Double.isInfinite(fps)) throw new IllegalArgumentException(p + "fps must be >= 0, got " + fmt(fps));
        requirePositive(p + "stallTimeout", stallTimeout);
        requirePositive(p + "openTimeout", openTimeout);
        requirePositive(p + "reconnectInitial", reconnectInitial);
        requirePositive(p + "reconnectMax", reconnectMax);
        if (reconnectMax.compareTo(reconnectInitial) < 0) {
            throw new IllegalArgumentException(p + "reconnectMax must be >= reconnectInitial (" + reconnectInitial + "), got " + reconnectMax);
        }
        // Otherwise a healthy camera would be declared stalled between two of its own frames.
        if (fps > 0 && stallTimeout.toNanos() <= 1e9 / fps) {
            throw new IllegalArgumentException(p + "stallTimeout must be longer than one frame at " + fmt(fps) + " fps, got "
                    + stallTimeout);
        }
    }

    /** The defaults: source size and rate, no loop, paced, 5 s stall and open timeouts, reconnect 1 s doubling to 30 s. */
    public static CameraSettings of(String name, String uri) {
        return new CameraSettings(name, uri, 0, 0, 0, false, true, DEFAULT_STALL_TIMEOUT, DEFAULT_OPEN_TIMEOUT,
                DEFAULT_RECONNECT_INITIAL, DEFAULT_RECONNECT_MAX);
    }

    public CameraSettings withSize(int width, int height) {
        return new CameraSettings(name, uri, width, height, fps, loop, pace, stallTimeout, openTimeout, reconnectInitial, reconnectMax);
    }

    public CameraSettings withFps(double fps) {
        return new CameraSettings(name, uri, width, height, fps, loop, pace, stallTimeout, openTimeout, reconnectInitial, reconnectMax);
    }

    public CameraSettings withLoop(boolean loop) {
        return new CameraSettings(name, uri, width, height, fps, loop, pace, stallTimeout, openTimeout, reconnectInitial, reconnectMax);
    }

    public CameraSettings withPace(boolean pace) {
        return new CameraSettings(name, uri, width, height, fps, loop, pace, stallTimeout, openTimeout, reconnectInitial, reconnectMax);
    }

    public CameraSettings withStallTimeout(Duration stallTimeout) {
        return new CameraSettings(name, uri, width, height, fps, loop, pace, stallTimeout, openTimeout, reconnectInitial, reconnectMax);
    }

    public CameraSettings withOpenTimeout(Duration openTimeout) {
        return new CameraSettings(name, uri, width, height, fps, loop, pace, stallTimeout, openTimeout, reconnectInitial, reconnectMax);
    }

    public CameraSettings withReconnect(Duration initial, Duration max) {
        return new CameraSettings(name, uri, width, height, fps, loop, pace, stallTimeout, openTimeout, initial, max);
    }

    private static void requirePositive(String field, Duration d) {
        if (d == null) throw new IllegalArgumentException(field + " must be set");
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(field + " must be > 0, got " + d);
    }

    /** "-1" rather than "-1.0": the message should echo what the user wrote. */
    private static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
