package dev.lifvision.capture;

import java.io.IOException;

/**
 * Something that produces RGB frames: a device, a video file, a network stream, a folder of images.
 *
 * <p>Used by one capture thread at a time, except that {@link #close()} may be called from another
 * thread (the camera's watchdog or {@link Camera#close()}) while {@link #grab} is blocked; it may then
 * block itself until the grab returns, but must never free memory a running grab still uses.
 */
public interface FrameSource {
    /** Opens the source; the message of a failure says what is wrong and, where known, how to fix it. */
    void open() throws IOException;

    /**
     * Decodes the next frame into {@code into}, reusing its pixel array, and sets its id (1, 2, ...),
     * grabNanos and wallMillis. May block, e.g. until a live camera delivers or a paced file's frame is due.
     *
     * @return false at the end of the stream (a file without looping); never false for live sources,
     *         which throw instead so that the camera reconnects
     */
    boolean grab(CameraFrame into) throws IOException;

    /** Releases native resources now, not at garbage collection; idempotent. */
    void close();

    /** What this reads, for logs and state reasons, e.g. {@code "file /data/a.mp4"} (stream passwords hidden). */
    String describe();
}
