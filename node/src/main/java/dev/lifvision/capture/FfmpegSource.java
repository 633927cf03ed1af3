package dev.lifvision.capture;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames from FFmpeg: a V4L2 device, a video file or an RTSP/HTTP stream. Decoded to RGB24 by FFmpeg
 * (and scaled there when a size is requested), then copied row by row into the caller's frame.
 *
 * <p>Reopenable: {@link #open()} after {@link #close()} starts again from the beginning. Each open
 * creates a fresh grabber, so a grab that is stuck in a grabber being closed from another thread
 * cannot disturb the next one.
 */
public final class FfmpegSource implements FrameSource {
    private static final Logger log = LoggerFactory.getLogger(FfmpegSource.class);
    private static final Pattern AV_ERROR = Pattern.compile("error (-\\d+)");
    /** Pace of a file whose container states no usable frame rate. */
    static final double FALLBACK_FPS = 30;

    enum Kind { DEVICE, FILE, STREAM }

    private final CameraSettings settings;
    private final Kind kind;
    private final String target;
    private final String prefix;
    private final Pacer pacer = new Pacer();

    /** The open grabber; the holder's monitor serialises grab and release of that grabber. */
    private static final class Open {
        final FFmpegFrameGrabber grabber;
        boolean released;

        Open(FFmpegFrameGrabber grabber) {
            this.grabber = grabber;
        }
    }

    private final Object stateLock = new Object();
    private Open open; // guarded by stateLock
    private long seq;

    /** @param target device path, file path or stream URL, as classified by {@link FrameSources} */
    FfmpegSource(CameraSettings settings, Kind kind, String target) {
        this.settings = settings;
        this.kind = kind;
        this.target = target;
        this.prefix = "camera " + settings.name() + ": ";
    }

    Kind kind() {
        return kind;
    }

    String target() {
        return target;
    }

    @Override
    public String describe() {
        return switch (kind) {
            case DEVICE -> "v4l2 " + target;
            case FILE -> "file " + target;
            case STREAM -> "stream " + redact(target);
        };
    }

    @Override
    public void open() throws IOException {
        checkPreconditions();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(target);
        configure(g);
        try {
            g.start();
        } catch (Exception | LinkageError e) {
            releaseQuietly(g);
            throw new IOException(prefix + "cannot open " + what() + ": " + explain(e), e);
        }
        if (!g.hasVideo() || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            releaseQuietly(g);
            throw new IOException(prefix + what() + " has no video stream");
        }
        double paceFps = 0;
        if (kind == Kind.FILE && settings.pace()) {
            double rate = g.getFrameRate();
            paceFps = settings.fps() > 0 ? settings.fps() : rate > 0 && rate < 1000 ? rate : FALLBACK_FPS;
        }
        Open previous;
        synchronized (stateLock) {
            pacer.reset(paceFps);
            seq = 0;
            previous = open;
            open = new Open(g);
        }
        if (previous != null) release(previous); // open() twice without close(): do not leak the first grabber
        log.debug("{}{}: opened {}x{} at {} fps ({})", prefix, describe(), g.getImageWidth(), g.getImageHeight(), g.getFrameRate(),
                g.getVideoCodecName());
    }

    private void checkPreconditions() throws IOException {
        // Checked before FFmpeg so that the common mistakes get a message that says what to do.
        if (kind == Kind.DEVICE) {
            Path dev = Path.of(target);
            if (!Files.exists(dev)) {
                throw new IOException(prefix + "device " + target + " does not exist (is the camera plugged in? ls /dev/video*)");
            }
            if (!Files.isReadable(dev)) {
                throw new IOException(prefix + "no permission to read " + target
                        + " (add the user to the video group: sudo usermod -aG video $USER, then log in again)");
            }
            String p = FfmpegNatives.v4l2Problem();
            if (p != null) throw new IOException(prefix + p);
        } else {
            if (kind == Kind.FILE && !Files.isRegularFile(Path.of(target))) {
                throw new IOException(prefix + "video file " + target + " not found");
            }
            String p = FfmpegNatives.problem();
            if (p != null) throw new IOException(prefix + p);
        }
    }

    private void configure(FFmpegFrameGrabber g) {
        g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        if (settings.width() > 0) {
            g.setImageWidth(settings.width());
            g.setImageHeight(settings.height());
        }
        // A file's rate is its own; fps only paces it (see open).
        if (settings.fps() > 0 && kind != Kind.FILE) g.setFrameRate(settings.fps());
        switch (kind) {
            case DEVICE -> {
                g.setFormat("video4linux2");
                if (settings.width() > 0) g.setOption("video_size", settings.width() + "x" + settings.height());
                if (settings.fps() > 0) g.setOption("framerate", fmt(settings.fps()));
            }
            case STREAM -> {
                // Without these a dead camera or network blocks open and read forever.
                String micros = Long.toString(settings.openTimeout().toNanos() / 1000);
                g.setOption("timeout", micros);
                g.setOption("rw_timeout", micros);
                g.setOption("stimeout", micros); // the RTSP name before FFmpeg 5; ignored by newer builds
                if (target.regionMatches(true, 0, "rtsp", 0, 4)) g.setOption("rtsp_transport", "tcp"); // UDP loses packets on Wi-Fi: smeared frames
            }
            case FILE -> { }
        }
    }

    @Override
    public boolean grab(CameraFrame into) throws IOException {
        Open o;
        synchronized (stateLock) {
            o = open;
        }
        if (o == null) throw new IOException(prefix + "grab before open (or after close)");
        synchronized (o) {
            if (o.released) throw new IOException(prefix + what() + " was closed");
            Frame f = grabImage(o.grabber);
            if (f == null && kind == Kind.FILE && settings.loop()) {
                rewind(o.grabber);
                f = grabImage(o.grabber);
            }
            if (f == null) {
                if (kind == Kind.FILE) return false;
                // A live source has no end: the camera rebooted or the server hung up, so let the camera reconnect.
                throw new IOException(prefix + what() + " ended the stream");
            }
            copy(f, into);
        }
        pacer.awaitNext(); // outside the lock, so close() does not wait for a frame to fall due
        into.id = ++seq;
        into.grabNanos = System.nanoTime();
        into.wallMillis = System.currentTimeMillis();
        return true;
    }

    private Frame grabImage(FFmpegFrameGrabber g) throws IOException {
        try {
            return g.grabImage();
        } catch (Exception e) {
            throw new IOException(prefix + "reading " + what() + " failed: " + explain(e), e);
        }
    }

    private void rewind(FFmpegFrameGrabber g) throws IOException {
        try {
            g.setTimestamp(0);
        } catch (Exception seekFailed) {
            // Some containers cannot seek; reopening the file always gets back to its start.
            try {
                g.restart();
            } catch (Exception e) {
                throw new IOException(prefix + "cannot restart " + what() + " for looping: " + explain(e), e);
            }
        }
    }

    private void copy(Frame f, CameraFrame into) throws IOException {
        int w = f.imageWidth, h = f.imageHeight, stride = f.imageStride, row = w * 3;
        // Not f.imageChannels: JavaCV derives it as stride / width, which padded rows inflate (6 at 32 px wide).
        if (f.imageDepth != Frame.DEPTH_UBYTE || stride < row || !(f.image[0] instanceof ByteBuffer buf)
                || buf.capacity() < (long) stride * (h - 1) + row) {
            throw new IOException(prefix + "expected 8-bit RGB frames from FFmpeg, got depth " + f.imageDepth + ", "
                    + w + "x" + h + " with a row stride of " + stride);
        }
        into.setSize(w, h);
        byte[] dst = into.pixels;
        // FFmpeg pads rows to its alignment; the frame is tightly packed.
        if (stride == row) {
            buf.get(0, dst, 0, row * h);
        } else {
            for (int y = 0; y < h; y++) buf.get(y * stride, dst, y * row, row);
        }
    }

    @Override
    public void close() {
        Open o;
        synchronized (stateLock) {
            o = open;
            open = null;
        }
        if (o != null) release(o);
    }

    /** Waits for a running grab on this grabber to return: releasing under it would free memory it still reads. */
    private void release(Open o) {
        synchronized (o) {
            if (o.released) return;
            o.released = true;
            releaseQuietly(o.grabber);
        }
    }

    private void releaseQuietly(FFmpegFrameGrabber g) {
        try {
            g.stop();
        } catch (Exception | LinkageError e) {
            log.debug("{}{}: stop failed", prefix, describe(), e);
        }
        try {
            g.release();
        } catch (Exception | LinkageError e) {
            log.debug("{}{}: release failed", prefix, describe(), e);
        }
    }

    private String what() {
        return switch (kind) {
            case DEVICE -> "device " + target;
            case FILE -> "video file " + target;
            case STREAM -> "stream " + redact(target);
        };
    }

    /** JavaCV's message without its hints for developers, plus FFmpeg's text for the error code. */
    private static String explain(Throwable e) {
        String m = FfmpegNatives.rootMessage(e);
        m = m.replace(" (Has setFormat() been called?)", "")
                .replace(" (For more details, make sure FFmpegLogCallback.set() has been called.)", "")
                .trim();
        Matcher code = AV_ERROR.matcher(m);
        if (code.find()) {
            String text = FfmpegNatives.errorText(Integer.parseInt(code.group(1)));
            if (text != null && !text.isBlank()) m += " [" + text + "]";
        }
        return m;
    }

    /** Stream URLs often carry the camera's password; keep it out of logs and status messages. */
    static String redact(String url) {
        try {
            URI u = URI.create(url);
            if (u.getRawUserInfo() == null) return url;
            return url.replace(u.getRawUserInfo() + "@", "***@");
        } catch (IllegalArgumentException e) {
            return url.replaceAll("//[^/@]*@", "//***@");
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
