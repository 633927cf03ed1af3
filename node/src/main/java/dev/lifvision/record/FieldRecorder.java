package dev.lifvision.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifvision.readout.Classification;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves field captures for retraining, in the image-folder layout {@link dev.lifvision.data.ImageFolder}
 * reads, one folder per predicted label:
 *
 * <pre>
 * DIR/LABEL/yyyyMMdd-HHmmss-SSS-CAMERA-FRAME.png     (time in UTC; "-1", "-2"... added if the name exists)
 * DIR/unknown/...                                    (frames below the readout thresholds)
 * DIR/index.jsonl                                    (one JSON object per saved capture, appended)
 * </pre>
 *
 * Index line: {@code {"file": "LABEL/NAME.png", "time": "2024-05-01T12:00:00.000Z", "camera": ..., "frame": ...,
 * "label": ..., "class_id": ..., "score": ..., "margin": ..., "top": [{"label": ..., "score": ...}, ...],
 * "model": ..., "model_hash": ...}} ("file" relative to DIR with '/' separators; non-finite scores are null).
 *
 * <p><b>For readers of the index:</b> the index is append-only and never rewritten. Images removed by the
 * disk quota (or by hand) keep their lines, so a reader must skip lines whose file is missing; a line cut
 * short by a crash or a full disk is followed by a newline before the next line is written, so a reader
 * should also skip lines that do not parse.
 *
 * <p>Label and camera names are made safe for file systems: characters other than letters, digits and
 * {@code - _ . + , ( ) space} become '_', a leading '.' and trailing '.'/space become '_', Windows device
 * names (CON, NUL, COM1...) get a leading '_', and names are cut at 80 characters. The index keeps the
 * real names.
 *
 * <p>Writes are atomic: the PNG goes to a hidden temp file ({@code .NAME.png.tmp}, skipped by image-folder
 * readers) in the target folder, is forced to disk, and is then renamed with {@code ATOMIC_MOVE}; an existing
 * file is never overwritten. Stale temp files from a crash are deleted when the folder is scanned. Index
 * lines are appended one {@code write} at a time and closed (flushed to the OS) per line, not fsync'ed.
 *
 * <p>Disk quota: the sizes of the capture images ({@code DIR/LABEL/*.png}) are counted, from a scan of DIR
 * at start (and again after any failure); when a new image would take the total over
 * {@link CaptureSettings#quotaBytes()}, the oldest images (by the time in their name, else their mtime)
 * are deleted until it fits. The index itself is not counted.
 *
 * <p>Errors never propagate from {@link #offer}: I/O problems (folder not writable, disk full, DIR being a
 * file...) and bad arguments give {@link Outcome.Kind#FAILED} with a reason, counted in {@link #failures()}
 * and kept in {@link #lastError()}; the next offer simply tries again, so capture resumes once the problem
 * is fixed. Each distinct failure is logged once (WARN), recovery at INFO.
 *
 * <p>Thread-safe: saving runs on the calling thread under a lock (run {@link #offer} on a background
 * executor to keep it off the frame loop); switches and counters may be used from any thread.
 */
public final class FieldRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FieldRecorder.class);

    /** File name of the index in the capture folder. */
    public static final String INDEX = "index.jsonl";
    /** Folder of frames that were not labelled. */
    public static final String UNKNOWN_FOLDER = Classification.UNKNOWN;

    static final String TEMP_SUFFIX = ".tmp";
    private static final int MAX_NAME = 80;
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss-SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What {@link #offer} did.
     *
     * @param kind   saved, skipped (and why) or failed
     * @param file   the saved image (null unless SAVED)
     * @param reason why it was skipped or failed (null when SAVED)
     */
    public record Outcome(Kind kind, Path file, String reason) {
        public enum Kind { SAVED, SKIPPED_POLICY, SKIPPED_DISABLED, FAILED }

        static final Outcome POLICY = new Outcome(Kind.SKIPPED_POLICY, null, "not selected by the capture policy");
        static final Outcome DISABLED = new Outcome(Kind.SKIPPED_DISABLED, null, "capture is off");
        static final Outcome CLOSED = new Outcome(Kind.SKIPPED_DISABLED, null, "recorder is closed");

        public boolean isSaved() {
            return kind == Kind.SAVED;
        }

        public boolean isFailed() {
            return kind == Kind.FAILED;
        }
    }

    /** One capture image on disk, for the quota. */
    private record Stored(long time, String rel, long size) {}

    private static final Comparator<Stored> OLDEST_FIRST =
            Comparator.comparingLong(Stored::time).thenComparing(Stored::rel);

    private final CaptureSettings settings;
    private final Path dir;
    private final Object lock = new Object();
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean enabled;
    private volatile boolean closed;

    // Guarded by lock.
    private final TreeSet<Stored> stored = new TreeSet<>(OLDEST_FIRST);
    private final Map<String, long[]> offeredPerCamera = new HashMap<>();
    private boolean scanned;
    private BufferedImage image;
    private String loggedError;

    // Written under lock, read anywhere.
    private volatile long saved;
    private volatile long failures;
    private volatile long removedByQuota;
    private volatile long bytesUsed;
    private volatile String lastError;

    /** Scans the capture folder (if it exists) for the quota; a failing scan is retried at the first save. */
    public FieldRecorder(CaptureSettings settings) {
        this.settings = settings;
        this.dir = settings.dir();
        this.enabled = settings.enabled();
        synchronized (lock) {
            try {
                scan();
            } catch (IOException | RuntimeException e) {
                lastError = describe(e);
                LOG.warn("capture folder unusable: {} (will retry when saving)", lastError);
                loggedError = lastError;
            }
        }
    }

    public CaptureSettings settings() {
        return settings;
    }

    /** The capture folder. */
    public Path dir() {
        return dir;
    }

    /** Switches capture on or off at run time (the node's {@code capture/set ON|OFF} command). */
    public void setEnabled(boolean on) {
        if (enabled != on) {
            LOG.info("capture {} ({} policy, folder {})", on ? "on" : "off", settings.policy().configName(), dir);
        }
        enabled = on;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /**
     * For {@link CaptureSettings.Policy#ON_COMMAND}: saves the next frame offered while capture is on (from
     * any camera). Requests do not stack; a request stays pending while capture is off, and after a failed
     * save (the next offer tries again). Ignored by the other policies.
     */
    public void requestOne() {
        requested.set(true);
    }

    /** Whether a {@link #requestOne()} is still waiting for a frame. */
    public boolean isRequestPending() {
        return requested.get();
    }

    /**
     * Offers one frame; saves it if capture is on and the policy selects it.
     *
     * @param camera     camera name (in the file name, sanitized, and in the index)
     * @param frameId    frame number (in the file name and the index)
     * @param wallMillis capture time, epoch milliseconds (file name, index, and age for the quota)
     * @param rgb        packed 8-bit RGB, row-major, at least width * height * 3 bytes (not kept)
     * @param c          the frame's classification (folder = its label, "unknown" when not known)
     * @param labels     the model's labels, for the top list in the index (null: class ids as labels)
     * @param modelName  for the index (may be null)
     * @param modelHash  for the index (may be null)
     * @return SAVED with the file, SKIPPED_DISABLED, SKIPPED_POLICY, or FAILED with a reason; never throws
     */
    public Outcome offer(String camera, long frameId, long wallMillis, byte[] rgb, int width, int height,
                         Classification c, List<String> labels, String modelName, String modelHash) {
        if (closed) {
            return Outcome.CLOSED;
        }
        if (!enabled) {
            return Outcome.DISABLED;
        }
        synchronized (lock) {
            if (closed) {
                return Outcome.CLOSED;
            }
            String bad = checkArguments(camera, rgb, width, height, c);
            if (bad != null) {
                return fail("bad capture: " + bad);
            }
            boolean oneShot = false;
            switch (settings.policy()) {
                case ALL -> { }
                case EVERY_NTH -> {
                    long[] n = offeredPerCamera.computeIfAbsent(camera, k -> new long[1]);
                    boolean take = n[0] % settings.everyNth() == 0;
                    n[0]++;
                    if (!take) {
                        return Outcome.POLICY;
                    }
                }
                case BELOW_THRESHOLD -> {
                    if (c.known() && !(c.score < settings.belowScore())) {
                        return Outcome.POLICY;
                    }
                }
                case ON_COMMAND -> {
                    if (!requested.getAndSet(false)) {
                        return Outcome.POLICY;
                    }
                    oneShot = true;
                }
            }
            try {
                Path file = save(camera, frameId, wallMillis, rgb, width, height, c, labels, modelName, modelHash);
                saved++;
                if (loggedError != null) {
                    LOG.info("capture works again ({} failures so far), saved {}", failures, file);
                    loggedError = null;
                }
                return new Outcome(Outcome.Kind.SAVED, file, null);
            } catch (IOException | RuntimeException e) {
                if (oneShot) {
                    requested.set(true);
                }
                scanned = false; // files may have changed under us: recount before the next save
                return fail(describe(e));
            }
        }
    }

    private Outcome fail(String reason) {
        failures++;
        lastError = reason;
        if (!reason.equals(loggedError)) {
            LOG.warn("capture failed: {}", reason);
            loggedError = reason;
        }
        return new Outcome(Outcome.Kind.FAILED, null, reason);
    }

    private static String checkArguments(String camera, byte[] rgb, int width, int height, Classification c) {
        if (camera == null) {
            return "no camera name";
        }
        if (c == null) {
            return "no classification";
        }
        if (rgb == null) {
            return "no image";
        }
        if (width <= 0 || height <= 0) {
            return "image size " + width + "x" + height;
        }
        if ((long) width * height * 3 > rgb.length) {
            return "image of " + rgb.length + " bytes is too small for " + width + "x" + height + " RGB";
        }
        return null;
    }

    private Path save(String camera, long frameId, long wallMillis, byte[] rgb, int width, int height,
                      Classification c, List<String> labels, String modelName, String modelHash) throws IOException {
        if (!scanned) {
            scan();
        }
        byte[] png = encodePng(rgb, width, height);
        long quota = settings.quotaBytes();
        if (quota > 0 && png.length > quota) {
            throw new IOException("a capture of " + png.length + " bytes does not fit in capture.quota_bytes = " + quota);
        }
        String label = c.known() && c.label != null ? c.label : UNKNOWN_FOLDER;
        String folderName = c.known() ? safeName(label) : UNKNOWN_FOLDER;
        Path folder = dir.resolve(folderName);
        Files.createDirectories(folder);

        String base = NAME_TIME.format(Instant.ofEpochMilli(wallMillis)) + "-" + safeName(camera) + "-" + frameId;
        String name = base + ".png";
        for (int i = 1; Files.exists(folder.resolve(name)) || Files.exists(folder.resolve("." + name + TEMP_SUFFIX)); i++) {
            name = base + "-" + i + ".png";
        }
        Path target = folder.resolve(name);
        String rel = folderName + "/" + name;

        makeRoom(png.length);
        writeAtomically(folder, name, png);
        Stored entry = new Stored(wallMillis, rel, png.length);
        stored.add(entry);
        bytesUsed += png.length;
        try {
            appendIndex(indexLine(rel, wallMillis, camera, frameId, label, c, labels, modelName, modelHash));
        } catch (IOException | RuntimeException e) {
            // An image the index does not know would be lost for retraining bookkeeping: take it back.
            stored.remove(entry);
            bytesUsed -= png.length;
            try {
                Files.deleteIfExists(target);
            } catch (IOException | RuntimeException e2) {
                e.addSuppressed(e2);
            }
            throw e;
        }
        return target;
    }

    /** Deletes the oldest capture images until {@code size} more bytes fit in the quota. */
    private void makeRoom(long size) throws IOException {
        long quota = settings.quotaBytes();
        if (quota <= 0) {
            return;
        }
        Iterator<Stored> it = stored.iterator();
        while (bytesUsed + size > quota && it.hasNext()) {
            Stored old = it.next();
            boolean deleted;
            try {
                deleted = Files.deleteIfExists(dir.resolve(old.rel()));
            } catch (IOException e) {
                throw new IOException("cannot delete " + dir.resolve(old.rel()) + " to keep capture.quota_bytes: "
                        + describe(e), e);
            }
            it.remove();
            bytesUsed -= old.size();
            if (deleted) {
                removedByQuota++;
            }
        }
    }

    private static void writeAtomically(Path folder, String name, byte[] data) throws IOException {
        Path tmp = folder.resolve("." + name + TEMP_SUFFIX);
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException | RuntimeException ignored) {
                    // Reported through the original failure; a stale temp file is removed at the next scan.
                }
            }
        }
    }

    /** Appends one line in one write; a previous line cut short (crash, disk full) is ended first. */
    private void appendIndex(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(dir.resolve(INDEX), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer out = ByteBuffer.wrap(bytes);
            if (size > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                ch.read(last, size - 1);
                if (last.position() == 1 && last.get(0) != '\n') {
                    out = ByteBuffer.allocate(bytes.length + 1).put((byte) '\n').put(bytes).flip();
                }
            }
            long pos = size;
            try {
                while (out.hasRemaining()) {
                    pos += ch.write(out, pos);
                }
            } catch (IOException e) {
                try {
                    ch.truncate(size);
                } catch (IOException e2) {
                    e.addSuppressed(e2);
                }
                throw e;
            }
        }
    }

    private static String indexLine(String rel, long wallMillis, String camera, long frameId, String label,
                                     Classification c, List<String> labels, String modelName, String modelHash)
            throws JsonProcessingException {
        ObjectNode o = JSON.createObjectNode();
        o.put("file", rel);
        o.put("time", ISO_TIME.format(Instant.ofEpochMilli(wallMillis)));
        o.put("camera", camera);
        o.put("frame", frameId);
        o.put("label", label);
        o.put("class_id", c.known() ? c.classId : -1);
        putScore(o, "score", c.score);
        putScore(o, "margin", c.margin);
        ArrayNode top = o.putArray("top");
        for (int i = 0; i < c.topCount; i++) {
            int id = c.topIds[i];
            ObjectNode t = top.addObject();
            t.put("label", labels != null && id >= 0 && id < labels.size() ? labels.get(id) : String.valueOf(id));
            putScore(t, "score", c.topScores[i]);
        }
        o.put("model", modelName);
        o.put("model_hash", modelHash);
        return JSON.writeValueAsString(o);
    }

    private static void putScore(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    private byte[] encodePng(byte[] rgb, int width, int height) throws IOException {
        if (image == null || image.getWidth() != width || image.getHeight() != height) {
            image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        }
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int n = width * height * 3;
        for (int i = 0; i < n; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("no PNG writer in javax.imageio");
        }
        ImageWriter w = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, n / 2));
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            w.setOutput(out);
            w.write(image);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    /** Recounts the capture images in DIR/LABEL/*.png and deletes stale temp files there. */
    private void scan() throws IOException {
        stored.clear();
        bytesUsed = 0;
        if (!Files.exists(dir)) {
            scanned = true;
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        long total = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(dir)) {
            for (Path folder : folders) {
                String fn = folder.getFileName().toString();
                if (fn.startsWith(".") || !Files.isDirectory(folder)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        if (name.startsWith(".") && name.endsWith(TEMP_SUFFIX)) {
                            try {
                                Files.deleteIfExists(f);
                            } catch (IOException e) {
                                LOG.debug("cannot delete stale temp file {}: {}", f, describe(e));
                            }
                            continue;
                        }
                        if (name.startsWith(".") || !name.toLowerCase(Locale.ROOT).endsWith(".png")) {
                            continue;
                        }
                        BasicFileAttributes a;
                        try {
                            a = Files.readAttributes(f, BasicFileAttributes.class);
                        } catch (NoSuchFileException e) {
                            continue;
                        }
                        if (!a.isRegularFile()) {
                            continue;
                        }
                        long time = timeFromName(name, a.lastModifiedTime().toMillis());
                        stored.add(new Stored(time, fn + "/" + name, a.size()));
                        total += a.size();
                    }
                }
            }
        }
        bytesUsed = total;
        scanned = true;
    }

    /** The time in a capture's name (yyyyMMdd-HHmmss-SSS, UTC), else {@code fallback}. */
    static long timeFromName(String name, long fallback) {
        if (name.length() < 19) {
            return fallback;
        }
        try {
            return LocalDateTime.parse(name.substring(0, 19), NAME_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    /** A label or camera name made safe as one path component on Linux, macOS and Windows. */
    static String safeName(String s) {
        if (s == null || s.isEmpty()) {
            return "_";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_NAME));
        for (int i = 0; i < s.length() && b.length() < MAX_NAME; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean ok = Character.isLetterOrDigit(cp) || "-_.+,() ".indexOf(cp) >= 0;
            if (ok && Character.charCount(cp) == 2 && b.length() + 2 > MAX_NAME) {
                break;
            }
            if (ok) {
                b.appendCodePoint(cp);
            } else {
                b.append('_');
            }
        }
        if (b.charAt(0) == '.') {
            b.setCharAt(0, '_');
        }
        int last = b.length() - 1;
        if (b.charAt(last) == '.' || b.charAt(last) == ' ') {
            b.setCharAt(last, '_');
        }
        String out = b.toString();
        String stem = out.contains(".") ? out.substring(0, out.indexOf('.')) : out;
        if (stem.toUpperCase(Locale.ROOT).matches("CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9]")) {
            out = "_" + out;
        }
        return out;
    }

    private static String describe(Throwable e) {
        if (e instanceof FileSystemException f) {
            String what = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof NotDirectoryException ? "not a directory"
                    : e instanceof FileAlreadyExistsException ? "exists and is not a directory"
                    : null;
            String reason = f.getReason();
            StringBuilder b = new StringBuilder(f.getFile() != null ? f.getFile() : "?");
            if (f.getOtherFile() != null) {
                b.append(" -> ").append(f.getOtherFile());
            }
            b.append(": ").append(reason != null ? reason : what != null ? what : e.getClass().getSimpleName());
            return b.toString();
        }
        String m = e.getMessage();
        return m != null && !m.isBlank() ? m : e.getClass().getSimpleName();
    }

    /** Captures saved since start. */
    public long saved() {
        return saved;
    }

    /** Offers that failed since start (I/O errors, bad arguments). */
    public long failures() {
        return failures;
    }

    /** The reason of the last failure (also of a failed start-up scan), or null if none yet. Not cleared by a success. */
    public String lastError() {
        return lastError;
    }

    /** Capture images deleted to keep the quota since start. */
    public long removedByQuota() {
        return removedByQuota;
    }

    /** Bytes of capture images in the folder as far as this recorder knows (scan at start plus its own saves). */
    public long bytesUsed() {
        return bytesUsed;
    }

    /** Stops saving (later offers return SKIPPED_DISABLED); waits for a save in progress. Nothing is held open. */
    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            image = null;
        }
    }
}
