package dev.lifvision.capture;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the {@link FrameSource} a camera URI names. Nothing native is touched until the source opens. */
public final class FrameSources {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
    private static final String EXPECTED = "expected v4l2:///dev/videoN, file:///path/clip.mp4 (or a path ending .mp4, .avi, "
            + ".mkv or .mov), rtsp://..., http(s)://... or dir:///path/to/images";

    private FrameSources() {}

    /** @throws IllegalArgumentException for a URI of no known kind, naming it */
    public static FrameSource create(CameraSettings s) {
        String uri = s.uri().trim();
        Matcher m = SCHEME.matcher(uri);
        String scheme = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
        if (scheme == null) {
            if (uri.startsWith("/dev/video")) return new FfmpegSource(s, FfmpegSource.Kind.DEVICE, uri);
            if (isVideoFile(uri)) return new FfmpegSource(s, FfmpegSource.Kind.FILE, Path.of(uri).toString());
            throw unsupported(s, uri);
        }
        return switch (scheme) {
            case "v4l2" -> new FfmpegSource(s, FfmpegSource.Kind.DEVICE, localPath(s, uri, scheme));
            case "file" -> new FfmpegSource(s, FfmpegSource.Kind.FILE, localPath(s, uri, scheme));
            case "rtsp", "rtsps", "http", "https" -> new FfmpegSource(s, FfmpegSource.Kind.STREAM, uri);
            case "dir" -> new ImageDirSource(s, Path.of(localPath(s, uri, scheme)));
            default -> throw unsupported(s, uri);
        };
    }

    private static boolean isVideoFile(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".mp4") || p.endsWith(".avi") || p.endsWith(".mkv") || p.endsWith(".mov");
    }

    private static IllegalArgumentException unsupported(CameraSettings s, String uri) {
        return new IllegalArgumentException("cameras." + s.name() + ".uri: unsupported camera URI '" + FfmpegSource.redact(uri)
                + "' (" + EXPECTED + ")");
    }

    /** The path of {@code scheme:///abs/path}; also takes {@code scheme:/abs/path} and {@code scheme:relative/path}. */
    private static String localPath(CameraSettings s, String uri, String scheme) {
        String path;
        try {
            URI u = new URI(uri);
            if (u.getRawAuthority() != null && !u.getRawAuthority().isEmpty()) {
                // "v4l2://dev/video0" parses as host "dev": almost certainly a missing third slash.
                throw new IllegalArgumentException("cameras." + s.name() + ".uri '" + uri + "' has a host part; write "
                        + scheme + ":///absolute/path (three slashes)");
            }
            path = u.isOpaque() ? u.getSchemeSpecificPart() : u.getPath();
        } catch (URISyntaxException e) {
            // Unescaped spaces and the like: take the text as the path, as a user who typed it means.
            path = uri.substring(scheme.length() + 1);
            if (path.startsWith("//")) path = path.substring(2);
        }
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("cameras." + s.name() + ".uri '" + uri + "' names no path");
        }
        return path;
    }
}
