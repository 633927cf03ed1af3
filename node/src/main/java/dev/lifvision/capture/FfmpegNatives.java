package dev.lifvision.capture;

import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;

/**
 * Loads FFmpeg once and turns loading failures into messages that say which package to install.
 *
 * <p>JavaCV loads libavdevice for every FFmpeg grabber, files included, and the bundled libavdevice
 * links the system's PulseAudio, ALSA and XCB libraries. On a minimal robot image the first of those
 * missing makes every grabber fail with a bare "Failed to load class FFmpegFrameGrabber".
 */
final class FfmpegNatives {
    private static String problem;
    private static boolean checked;
    private static Boolean v4l2;

    private FfmpegNatives() {}

    /** @return null when FFmpeg is usable, else what is wrong and how to fix it */
    static synchronized String problem() {
        if (checked) return problem;
        checked = true;
        try {
            Loader.load(avutil.class);
            // Once, before any grabber exists: FFmpeg's default level prints every warning of every stream.
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            Loader.load(avformat.class);
        } catch (Throwable t) {
            problem = "FFmpeg's native libraries failed to load (" + rootMessage(t) + "); is the org.bytedeco:ffmpeg jar for "
                    + Loader.getPlatform() + " on the class path?";
            return problem;
        }
        try {
            Loader.load(avdevice.class);
            avdevice.avdevice_register_all();
        } catch (Throwable t) {
            problem = avdeviceProblem(t);
        }
        return problem;
    }

    /** @return null when FFmpeg has a video4linux2 input, else what to do about it */
    static synchronized String v4l2Problem() {
        String p = problem();
        if (p != null) return p;
        if (v4l2 == null) {
            AVInputFormat f = avformat.av_find_input_format("video4linux2");
            v4l2 = f != null && !f.isNull();
        }
        return v4l2 ? null
                : "FFmpeg has no video4linux2 input (its device library did not register it; libpulse0 missing?); "
                        + "install it with: sudo apt-get install libpulse0";
    }

    static String avdeviceProblem(Throwable t) {
        String detail = rootMessage(t);
        String pkg = detail.contains("libpulse") ? "libpulse0"
                : detail.contains("libasound") ? "libasound2"
                : detail.contains("libxcb-shm") ? "libxcb-shm0"
                : detail.contains("libxcb") ? "libxcb1"
                : detail.contains("libdrm") ? "libdrm2"
                : "libpulse0 libasound2 libxcb1 libxcb-shm0";
        return "FFmpeg's device library (libavdevice, loaded for every FFmpeg source) failed to load: " + detail + "; "
                + pkg + " missing? install it with: sudo apt-get install " + pkg;
    }

    /** FFmpeg's text for an AVERROR code, e.g. -111 -> "Connection refused". */
    static String errorText(int code) {
        try (BytePointer buf = new BytePointer(256)) {
            return avutil.av_strerror(code, buf, 256) == 0 ? buf.getString() : null;
        } catch (Throwable t) {
            return null;
        }
    }

    static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) r = r.getCause();
        String m = r.getMessage();
        return m == null ? r.getClass().getSimpleName() : m;
    }
}
