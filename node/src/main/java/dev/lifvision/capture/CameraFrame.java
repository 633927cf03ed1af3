package dev.lifvision.capture;

/**
 * One RGB frame, channels-last and tightly packed ({@code height * width * 3} bytes from index 0).
 *
 * <p>Mutable and meant to be reused: sources decode into it and the consumer copies out of it, so a
 * camera running for days allocates nothing per frame. {@link #pixels} may be longer than
 * {@link #byteCount()} after the frame size shrank; only the first {@code byteCount()} bytes are valid.
 */
public final class CameraFrame {
    public static final int CHANNELS = 3;

    public byte[] pixels = new byte[0];
    public int width, height;
    public int channels = CHANNELS;
    /** Sequence number, starting at 1. */
    public long id;
    /** {@link System#nanoTime()} when the grab returned: for latency, comparable within this JVM only. */
    public long grabNanos;
    /** {@link System#currentTimeMillis()} at the grab: for logs and messages to other machines. */
    public long wallMillis;

    public int byteCount() {
        return width * height * channels;
    }

    /** Sets the size, growing {@link #pixels} only when it is too small (a shrink keeps the larger array). */
    public void setSize(int width, int height) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        long bytes = (long) width * height * CHANNELS;
        if (bytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("frame " + width + "x" + height + " is too large");
        this.width = width;
        this.height = height;
        this.channels = CHANNELS;
        if (pixels.length < bytes) pixels = new byte[(int) bytes];
    }

    public void copyFrom(CameraFrame o) {
        setSize(o.width, o.height);
        System.arraycopy(o.pixels, 0, pixels, 0, o.byteCount());
        id = o.id;
        grabNanos = o.grabNanos;
        wallMillis = o.wallMillis;
    }

    @Override
    public String toString() {
        return "CameraFrame[id=" + id + ", " + width + "x" + height + "x" + channels + "]";
    }
}
