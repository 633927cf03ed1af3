package dev.lifvision.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.IntUnaryOperator;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Small test videos written on the fly with FFmpeg, so no binary fixtures are committed. */
final class Videos {
    static final int W = 64, H = 48;

    private Videos() {}

    /** Grey level of frame i in {@link #greyRamp}: 4 levels apart, so a decoded frame's index is unambiguous. */
    static int level(int i) {
        return 10 + 4 * i;
    }

    /** The frame index whose level is nearest to {@code v}. */
    static int indexOf(int v) {
        return Math.round((v - 10) / 4f);
    }

    /** {@code frames} flat grey frames (at most 60), frame i at {@link #level(int)}. */
    static Path greyRamp(Path file, int frames, double fps) throws IOException {
        if (frames > 60) throw new IllegalArgumentException("levels only go to 60 frames");
        return write(file, frames, fps, i -> level(i) * 0x010101);
    }

    /** Writes an MPEG-4 video whose frame i is filled with the colour {@code rgb.applyAsInt(i)} (0xRRGGBB). */
    static Path write(Path file, int frames, double fps, IntUnaryOperator rgb) throws IOException {
        if (FfmpegNatives.problem() != null) throw new IOException(FfmpegNatives.problem()); // also quiets FFmpeg's log
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toString(), W, H);
        r.setFormat(file.toString().endsWith(".avi") ? "avi" : "mp4");
        r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        r.setVideoQuality(2); // near-lossless: levels 4 apart must stay apart
        try {
            r.start();
            Frame f = new Frame(W, H, Frame.DEPTH_UBYTE, 3);
            ByteBuffer buf = (ByteBuffer) f.image[0];
            for (int i = 0; i < frames; i++) {
                int c = rgb.applyAsInt(i);
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        int o = y * f.imageStride + 3 * x;
                        buf.put(o, (byte) (c >> 16)).put(o + 1, (byte) (c >> 8)).put(o + 2, (byte) c);
                    }
                }
                r.record(f, avutil.AV_PIX_FMT_RGB24);
            }
            r.stop();
        } finally {
            r.release();
        }
        return file;
    }

    /** Mean of one channel over the frame: robust to codec ringing at block edges. */
    static int mean(CameraFrame f, int channel) {
        long sum = 0;
        int n = f.width * f.height;
        for (int p = 0; p < n; p++) sum += f.pixels[3 * p + channel] & 0xFF;
        return (int) Math.round(sum / (double) n);
    }

    static CameraSettings settings(String name, Path file) {
        return CameraSettings.of(name, file.toUri().toString());
    }
}
