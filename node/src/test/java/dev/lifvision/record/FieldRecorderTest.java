package dev.lifvision.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifvision.readout.Classification;
import dev.lifvision.readout.Readout;
import dev.lifvision.readout.ReadoutSettings;
import dev.lifvision.record.CaptureSettings.Policy;
import dev.lifvision.record.FieldRecorder.Outcome;
import dev.lifvision.record.FieldRecorder.Outcome.Kind;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldRecorderTest {
    private static final List<String> LABELS = List.of("zero", "one", "cat/dog");
    private static final long T0 = Instant.parse("2024-05-01T12:34:56.789Z").toEpochMilli();
    private static final int W = 4, H = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Distinct R, G and B in every pixel, so a channel swap or a transposition shows. */
    private static byte[] rgb(int seed) {
        byte[] b = new byte[W * H * 3];
        for (int i = 0; i < W * H; i++) {
            b[3 * i] = (byte) (10 + i + seed);
            b[3 * i + 1] = (byte) (100 + 2 * i);
            b[3 * i + 2] = (byte) (200 + 3 * i);
        }
        return b;
    }

    /** A classification of outputs over LABELS with a threshold. */
    private static Classification classify(double threshold, float... out) {
        Readout r = new Readout(LABELS, ReadoutSettings.DEFAULTS.withThreshold(threshold));
        Classification c = r.newClassification();
        r.read(out, c);
        return c;
    }

    private static final Classification ONE = classify(0, 1f, 3f, 2f); // "one", 0.665
    private static final Classification UNKNOWN = classify(0.9, 1f, 3f, 2f); // unknown, best "one"

    private CaptureSettings on(Path dir) {
        return CaptureSettings.DEFAULTS.withEnabled(true).withDir(dir);
    }

    private static Outcome offer(FieldRecorder r, String cam, long frame, long time, Classification c) {
        return r.offer(cam, frame, time, rgb(0), W, H, c, LABELS, "mnist-lif", "sha256:abc");
    }

    private static List<JsonNode> index(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(FieldRecorder.INDEX), StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static List<Path> allFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    private static List<Path> pngs(Path dir) throws IOException {
        return allFiles(dir).stream().filter(p -> p.toString().endsWith(".png")).collect(Collectors.toList());
    }

    private static void assertNoTempFiles(Path dir) throws IOException {
        for (Path p : allFiles(dir)) {
            assertFalse(p.getFileName().toString().endsWith(".tmp"), "temp file left: " + p);
        }
    }

    @Test
    void layoutAndIndex() throws IOException {
        Path dir = tmp.resolve("captures");
        try (FieldRecorder r = new FieldRecorder(on(dir))) {
            Outcome o = offer(r, "front", 7, T0, ONE);
            assertEquals(Kind.SAVED, o.kind());
            assertTrue(o.isSaved());
            assertNull(o.reason());
            assertEquals(dir.resolve("one/20240501-123456-789-front-7.png"), o.file());
            assertTrue(Files.isRegularFile(o.file()));

            Outcome u = offer(r, "front", 8, T0 + 1000, UNKNOWN);
            assertEquals(dir.resolve("unknown/20240501-123457-789-front-8.png"), u.file());

            Outcome cat = offer(r, "rear cam", 9, T0, classify(0, 0f, 0f, 5f));
            assertEquals(dir.resolve("cat_dog/20240501-123456-789-rear cam-9.png"), cat.file());

            assertEquals(3, r.saved());
            assertEquals(0, r.failures());
            assertNull(r.lastError());
            long sizes = 0;
            for (Path p : pngs(dir)) {
                sizes += Files.size(p);
            }
            assertEquals(sizes, r.bytesUsed());
        }
        List<JsonNode> idx = index(dir);
        assertEquals(3, idx.size());
        JsonNode a = idx.get(0);
        assertEquals("one/20240501-123456-789-front-7.png", a.get("file").asText());
        assertEquals("2024-05-01T12:34:56.789Z", a.get("time").asText());
        assertEquals("front", a.get("camera").asText());
        assertEquals(7, a.get("frame").asLong());
        assertEquals("one", a.get("label").asText());
        assertEquals(1, a.get("class_id").asInt());
        // softmax(1, 3, 2) = .0900, .6652, .2447
        assertEquals(0.6652409557748218, a.get("score").asDouble(), 1e-12);
        assertEquals(0.6652409557748218 - 0.24472847105479764, a.get("margin").asDouble(), 1e-12);
        JsonNode top = a.get("top");
        assertEquals(3, top.size());
        assertEquals("one", top.get(0).get("label").asText());
        assertEquals("cat/dog", top.get(1).get("label").asText());
        assertEquals("zero", top.get(2).get("label").asText());
        assertEquals(0.24472847105479764, top.get(1).get("score").asDouble(), 1e-12);
        assertEquals("mnist-lif", a.get("model").asText());
        assertEquals("sha256:abc", a.get("model_hash").asText());

        JsonNode b = idx.get(1);
        assertEquals("unknown/20240501-123457-789-front-8.png", b.get("file").asText());
        assertEquals("unknown", b.get("label").asText());
        assertEquals(-1, b.get("class_id").asInt());
        assertEquals("one", b.get("top").get(0).get("label").asText());

        JsonNode c = idx.get(2);
        assertEquals("cat_dog/20240501-123456-789-rear cam-9.png", c.get("file").asText());
        assertEquals("cat/dog", c.get("label").asText());
        assertEquals("rear cam", c.get("camera").asText());
        assertNoTempFiles(dir);
    }

    @Test
    void pngRoundTripIsPixelExactInRgbOrder() throws IOException {
        byte[] px = rgb(5);
        try (FieldRecorder r = new FieldRecorder(on(tmp))) {
            Outcome o = r.offer("c", 1, T0, px, W, H, ONE, LABELS, null, null);
            BufferedImage img = ImageIO.read(o.file().toFile());
            assertEquals(W, img.getWidth());
            assertEquals(H, img.getHeight());
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int i = 3 * (y * W + x);
                    int expected = (px[i] & 0xff) << 16 | (px[i + 1] & 0xff) << 8 | (px[i + 2] & 0xff);
                    assertEquals(expected, img.getRGB(x, y) & 0xffffff, "pixel " + x + "," + y);
                }
            }
            // a pure red frame stays red
            byte[] red = new byte[W * H * 3];
            for (int i = 0; i < W * H; i++) {
                red[3 * i] = (byte) 255;
            }
            BufferedImage redImg = ImageIO.read(r.offer("c", 2, T0, red, W, H, ONE, LABELS, null, null).file().toFile());
            assertEquals(0xff0000, redImg.getRGB(1, 1) & 0xffffff);
        }
        // null model fields become JSON nulls
        JsonNode line = index(tmp).get(0);
        assertTrue(line.get("model").isNull());
        assertTrue(line.get("model_hash").isNull());
    }

    @Test
    void policyAllAndSwitchingAtRunTime() throws IOException {
        try (FieldRecorder r = new FieldRecorder(on(tmp).withEnabled(false))) {
            assertFalse(r.isEnabled());
            Outcome off = offer(r, "c", 1, T0, ONE);
            assertEquals(Kind.SKIPPED_DISABLED, off.kind());
            assertFalse(Files.exists(tmp.resolve(FieldRecorder.INDEX)));
            r.setEnabled(true);
            assertTrue(r.isEnabled());
            for (int i = 0; i < 3; i++) {
                assertEquals(Kind.SAVED, offer(r, "c", 2 + i, T0 + i, ONE).kind());
            }
            r.setEnabled(false);
            assertEquals(Kind.SKIPPED_DISABLED, offer(r, "c", 9, T0, ONE).kind());
            assertEquals(3, r.saved());
        }
        assertEquals(3, pngs(tmp).size());
        assertEquals(3, index(tmp).size());
    }

    @Test
    void policyEveryNthCountsPerCamera() throws IOException {
        try (FieldRecorder r = new FieldRecorder(on(tmp).withPolicy(Policy.EVERY_NTH).withEveryNth(3))) {
            List<Long> savedA = new ArrayList<>();
            for (long f = 0; f < 7; f++) {
                if (offer(r, "a", f, T0 + f, ONE).isSaved()) {
                    savedA.add(f);
                }
                if (f < 2) {
                    assertEquals(f == 0 ? Kind.SAVED : Kind.SKIPPED_POLICY, offer(r, "b", 100 + f, T0 + f, ONE).kind());
                }
            }
            assertEquals(List.of(0L, 3L, 6L), savedA);
            assertEquals(4, r.saved());
        }
    }

    @Test
    void policyBelowThreshold() throws IOException {
        try (FieldRecorder r = new FieldRecorder(on(tmp).withPolicy(Policy.BELOW_THRESHOLD).withBelowScore(0.7))) {
            assertEquals(Kind.SAVED, offer(r, "c", 1, T0, ONE).kind()); // 0.665 < 0.7
            assertEquals(Kind.SKIPPED_POLICY, offer(r, "c", 2, T0, classify(0, 0f, 9f, 0f)).kind()); // ~1.0
            assertEquals(Kind.SAVED, offer(r, "c", 3, T0, UNKNOWN).kind());
        }
        try (FieldRecorder r = new FieldRecorder(on(tmp.resolve("b")).withPolicy(Policy.BELOW_THRESHOLD).withBelowScore(0.6))) {
            assertEquals(Kind.SKIPPED_POLICY, offer(r, "c", 1, T0, ONE).kind()); // 0.665 >= 0.6
            assertEquals(Kind.SAVED, offer(r, "c", 2, T0, UNKNOWN).kind()); // unknown, whatever its score
        }
    }

    @Test
    void policyOnCommandIsOneShot() throws IOException {
        try (FieldRecorder r = new FieldRecorder(on(tmp).withPolicy(Policy.ON_COMMAND))) {
            assertEquals(Kind.SKIPPED_POLICY, offer(r, "c", 1, T0, ONE).kind());
            r.requestOne();
            r.requestOne(); // does not stack
            assertTrue(r.isRequestPending());
            assertEquals(Kind.SAVED, offer(r, "c", 2, T0, ONE).kind());
            assertFalse(r.isRequestPending());
            assertEquals(Kind.SKIPPED_POLICY, offer(r, "c", 3, T0, ONE).kind());
            // pending while off, taken by the first frame once on
            r.requestOne();
            r.setEnabled(false);
            assertEquals(Kind.SKIPPED_DISABLED, offer(r, "c", 4, T0, ONE).kind());
            r.setEnabled(true);
            assertEquals(Kind.SAVED, offer(r, "other", 5, T0, ONE).kind());
            assertEquals(Kind.SKIPPED_POLICY, offer(r, "c", 6, T0, ONE).kind());
            assertEquals(2, r.saved());
        }
    }

    @Test
    void quotaRemovesTheOldestAndKeepsTheNewest() throws IOException {
        long size;
        try (FieldRecorder probe = new FieldRecorder(on(tmp.resolve("probe")))) {
            size = Files.size(offer(probe, "c", 0, T0, ONE).file());
        }
        Path dir = tmp.resolve("q");
        long quota = 3 * size + size / 2;
        List<Path> files = new ArrayList<>();
        try (FieldRecorder r = new FieldRecorder(on(dir).withQuotaBytes(quota))) {
            for (int i = 0; i < 5; i++) {
                // alternate folders: age, not folder, decides; same image each time, so the same size
                Outcome o = offer(r, "c", i, T0 + 1000L * i, i % 2 == 0 ? ONE : UNKNOWN);
                assertEquals(Kind.SAVED, o.kind());
                files.add(o.file());
                assertTrue(r.bytesUsed() <= quota);
            }
            assertEquals(2, r.removedByQuota());
            assertEquals(3 * size, r.bytesUsed());
        }
        assertFalse(Files.exists(files.get(0)));
        assertFalse(Files.exists(files.get(1)));
        assertEquals(files.subList(2, 5).stream().sorted().collect(Collectors.toList()), pngs(dir));
        // the index keeps the lines of removed files
        List<JsonNode> idx = index(dir);
        assertEquals(5, idx.size());
        assertEquals(dir.relativize(files.get(0)).toString(), idx.get(0).get("file").asText());

        // a new recorder counts what is there and goes on removing the oldest
        try (FieldRecorder r = new FieldRecorder(on(dir).withQuotaBytes(quota))) {
            assertEquals(3 * size, r.bytesUsed());
            Outcome o = offer(r, "c", 5, T0 + 5000, ONE);
            assertEquals(Kind.SAVED, o.kind());
            assertEquals(1, r.removedByQuota());
            assertFalse(Files.exists(files.get(2)));
            assertTrue(Files.exists(files.get(3)));
            assertTrue(Files.exists(files.get(4)));
            assertTrue(Files.exists(o.file()));
        }
        assertEquals(6, index(dir).size());
    }

    @Test
    void aCaptureLargerThanTheQuotaFailsWithoutRemovingAnything() throws IOException {
        try (FieldRecorder r = new FieldRecorder(on(tmp).withQuotaBytes(10))) {
            Outcome o = offer(r, "c", 1, T0, ONE);
            assertEquals(Kind.FAILED, o.kind());
            assertTrue(o.reason().contains("does not fit in capture.quota_bytes = 10"), o.reason());
            assertEquals(0, r.removedByQuota());
        }
    }

    @Test
    void directoryThatIsAFileFailsAndRecoversOnceFixed() throws IOException {
        Path dir = tmp.resolve("captures");
        Files.writeString(dir, "not a folder");
        try (FieldRecorder r = new FieldRecorder(on(dir))) {
            assertNotNull(r.lastError()); // the start-up scan already noticed
            Outcome o = offer(r, "c", 1, T0, ONE);
            assertEquals(Kind.FAILED, o.kind());
            assertTrue(o.isFailed());
            assertNull(o.file());
            assertTrue(o.reason().contains(dir.toString()), o.reason());
            assertEquals(1, r.failures());
            assertEquals(o.reason(), r.lastError());
            assertEquals(Kind.FAILED, offer(r, "c", 2, T0, ONE).kind());
            assertEquals(2, r.failures());

            Files.delete(dir);
            Outcome ok = offer(r, "c", 3, T0, ONE);
            assertEquals(Kind.SAVED, ok.kind());
            assertEquals(1, r.saved());
            assertEquals(2, r.failures());
        }
        assertEquals(1, index(dir).size());
        assertNoTempFiles(dir);
    }

    @Test
    void labelFolderThatIsAFileFails() throws IOException {
        Files.writeString(tmp.resolve("one"), "in the way");
        try (FieldRecorder r = new FieldRecorder(on(tmp))) {
            Outcome o = offer(r, "c", 1, T0, ONE);
            assertEquals(Kind.FAILED, o.kind());
            assertTrue(o.reason().contains("one"), o.reason());
            assertEquals(Kind.SAVED, offer(r, "c", 2, T0, UNKNOWN).kind()); // other folders still work
            Files.delete(tmp.resolve("one"));
            assertEquals(Kind.SAVED, offer(r, "c", 3, T0, ONE).kind());
        }
    }

    @Test
    void readOnlyDirectoryFailsAndRecovers() throws IOException {
        Path dir = tmp.resolve("ro");
        Files.createDirectories(dir);
        File f = dir.toFile();
        assertTrue(f.setWritable(false, false));
        try {
            boolean stillWritable;
            try {
                Files.delete(Files.createFile(dir.resolve("probe")));
                stillWritable = true;
            } catch (IOException e) {
                stillWritable = false;
            }
            Assumptions.assumeFalse(stillWritable, "running as root: a read-only folder is still writable");
            try (FieldRecorder r = new FieldRecorder(on(dir))) {
                Outcome o = offer(r, "c", 1, T0, ONE);
                assertEquals(Kind.FAILED, o.kind());
                assertTrue(o.reason().contains("permission denied") || o.reason().contains("Permission denied"), o.reason());
                assertEquals(1, r.failures());
                assertTrue(f.setWritable(true, false));
                assertEquals(Kind.SAVED, offer(r, "c", 2, T0, ONE).kind());
            }
            assertNoTempFiles(dir);
        } finally {
            f.setWritable(true, false);
        }
    }

    @Test
    void neverOverwritesAnExistingFile() throws IOException {
        Path existing = tmp.resolve("one/20240501-123456-789-c-1.png");
        Files.createDirectories(existing.getParent());
        Files.writeString(existing, "precious");
        try (FieldRecorder r = new FieldRecorder(on(tmp).withQuotaBytes(0))) {
            Outcome a = offer(r, "c", 1, T0, ONE);
            Outcome b = offer(r, "c", 1, T0, ONE);
            assertEquals(tmp.resolve("one/20240501-123456-789-c-1-1.png"), a.file());
            assertEquals(tmp.resolve("one/20240501-123456-789-c-1-2.png"), b.file());
        }
        assertEquals("precious", Files.readString(existing));
        List<JsonNode> idx = index(tmp);
        assertEquals("one/20240501-123456-789-c-1-1.png", idx.get(0).get("file").asText());
        assertEquals("one/20240501-123456-789-c-1-2.png", idx.get(1).get("file").asText());
    }

    @Test
    void staleTempFilesAreRemovedAndNoneAreLeft() throws IOException {
        Path stale = tmp.resolve("one/.20240101-000000-000-c-1.png.tmp");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "half a png");
        try (FieldRecorder r = new FieldRecorder(on(tmp))) {
            assertFalse(Files.exists(stale));
            for (int i = 0; i < 5; i++) {
                offer(r, "c", i, T0, i % 2 == 0 ? ONE : UNKNOWN);
            }
            Files.writeString(tmp.resolve("zero"), "blocks the folder");
            assertEquals(Kind.FAILED, offer(r, "c", 9, T0, classify(0, 9f, 0f, 0f)).kind());
        }
        assertNoTempFiles(tmp);
        assertEquals(5, pngs(tmp).size());
        for (Path p : pngs(tmp)) {
            assertNotNull(ImageIO.read(p.toFile()), p.toString()); // every file under its final name is whole
        }
    }

    @Test
    void aCutIndexLineIsEndedBeforeTheNextOne() throws IOException {
        Files.writeString(tmp.resolve(FieldRecorder.INDEX), "{\"file\": \"one/x.png\", \"ti");
        try (FieldRecorder r = new FieldRecorder(on(tmp))) {
            offer(r, "c", 1, T0, ONE);
        }
        List<String> lines = Files.readAllLines(tmp.resolve(FieldRecorder.INDEX));
        assertEquals(2, lines.size());
        assertEquals("{\"file\": \"one/x.png\", \"ti", lines.get(0));
        assertEquals("one", JSON.readTree(lines.get(1)).get("label").asText());
    }

    @Test
    void badArgumentsFailInsteadOfThrowing() {
        try (FieldRecorder r = new FieldRecorder(on(tmp))) {
            assertEquals(Kind.FAILED, r.offer("c", 1, T0, new byte[5], W, H, ONE, LABELS, null, null).kind());
            assertEquals(Kind.FAILED, r.offer("c", 1, T0, rgb(0), 0, H, ONE, LABELS, null, null).kind());
            assertEquals(Kind.FAILED, r.offer("c", 1, T0, rgb(0), W, H, null, LABELS, null, null).kind());
            assertEquals(Kind.FAILED, r.offer(null, 1, T0, rgb(0), W, H, ONE, LABELS, null, null).kind());
            assertEquals(4, r.failures());
            assertTrue(r.lastError().startsWith("bad capture: "), r.lastError());
            // labels are optional: class ids stand in
            assertEquals(Kind.SAVED, r.offer("c", 1, T0, rgb(0), W, H, ONE, null, null, null).kind());
        }
    }

    @Test
    void closedRecorderSavesNothing() {
        FieldRecorder r = new FieldRecorder(on(tmp));
        r.close();
        Outcome o = offer(r, "c", 1, T0, ONE);
        assertEquals(Kind.SKIPPED_DISABLED, o.kind());
        assertEquals("recorder is closed", o.reason());
    }

    @Test
    void concurrentOffersAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (FieldRecorder r = new FieldRecorder(on(tmp))) {
            List<Future<Outcome>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String cam = "cam" + t;
                for (int i = 0; i < 8; i++) {
                    long frame = i;
                    fs.add(pool.submit(() -> offer(r, cam, frame, T0, ONE)));
                }
            }
            Set<Path> files = new HashSet<>();
            for (Future<Outcome> f : fs) {
                Outcome o = f.get();
                assertEquals(Kind.SAVED, o.kind());
                files.add(o.file());
            }
            assertEquals(32, files.size());
            assertEquals(32, r.saved());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(32, index(tmp).size());
    }

    @Test
    void safeNames() {
        assertEquals("cat_dog", FieldRecorder.safeName("cat/dog"));
        assertEquals("a_b_c", FieldRecorder.safeName("a\\b:c"));
        assertEquals("__", FieldRecorder.safeName(".."));
        assertEquals("_hidden", FieldRecorder.safeName(".hidden"));
        assertEquals("_CON", FieldRecorder.safeName("CON"));
        assertEquals("_nul.txt", FieldRecorder.safeName("nul.txt"));
        assertEquals("great white shark", FieldRecorder.safeName("great white shark"));
        assertEquals("trailing_", FieldRecorder.safeName("trailing."));
        assertEquals("Äpfel_Birnen", FieldRecorder.safeName("Äpfel*Birnen"));
        assertEquals("_", FieldRecorder.safeName(""));
        assertEquals(80, FieldRecorder.safeName("x".repeat(200)).length());
        assertEquals(T0, FieldRecorder.timeFromName("20240501-123456-789-front-7.png", -1));
        assertEquals(-1, FieldRecorder.timeFromName("holiday.png", -1));
    }
}
