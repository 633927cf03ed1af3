package dev.lifvision.capture;

/** What a {@link Camera} is doing, as reported to its listener. */
public enum CameraState {
    /** Started; no frame yet. */
    STARTING,
    /** Frames are arriving. */
    ONLINE,
    /** No frame for the stall timeout: the capture thread was abandoned and a fresh source is being opened. */
    STALLED,
    /** The source failed to open or broke; retrying with backoff (or the camera was closed). */
    OFFLINE,
    /** A file or image folder reached its end without looping; nothing more will come. */
    ENDED
}
