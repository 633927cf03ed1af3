package dev.lifvision.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifvision.bundle.Bundle;
import dev.lifvision.cli.Models;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.encode.Preprocessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Labelling captures (interactive and CSV, undo, hand moves, never deleting) and loading them for training. Fast. */
class RetrainLabelTest {
    static final Path FIXTURE = Path.of("../node/src/test/resources/fixtures/mnist-200");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A capture folder as the node writes it: 320x240 RGB frames of fixture digits, index.jsonl. */
    private Path captures(int n, String[] predicted) throws Exception {
        Path c = dir.resolve("captures");
        ImageSet digits = Datasets.load("mnist:" + FIXTURE, Split.TEST, null);
        StringBuilder index = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String label = predicted[i];
            String name = String.format("20260101-120000-%03d-front-%d.png", i, i + 1);
            Path f = Files.createDirectories(c.resolve(label)).resolve(name);
            ImageIO.write(frame(digits, i, 320, 240), "png", f.toFile());
            index.append(String.format("{\"file\":\"%s/%s\",\"time\":\"2026-01-01T12:00:00.%03dZ\",\"camera\":\"front\","
                    + "\"frame\":%d,\"label\":\"%s\",\"class_id\":-1,\"score\":0.5,\"margin\":0.1,\"top\":[{\"label\":\"%s\","
                    + "\"score\":0.5},{\"label\":\"1\",\"score\":0.2}],\"model\":\"m\",\"model_hash\":\"h\"}%n",
                    label, name, i, i + 1, label, label));
        }
        index.append("{\"file\":\"3/gone.png\",\"frame\":99,\"label\":\"3\"}\n{not json\n");
        Files.writeString(c.resolve("index.jsonl"), index);
        return c;
    }

    /** The digit scaled to the frame height, centred, white on black, as a camera frame (RGB). */
    static BufferedImage frame(ImageSet d, int i, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int x0 = (w - h) / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = (x - x0) * d.width() / h, sy = y * d.height() / h;
                int v = sx >= 0 && sx < d.width() ? d.pixels()[i * d.imageSize() + sy * d.width() + sx] & 0xff : 0;
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return img;
    }

    private static long images(Path c) throws Exception {
        try (Stream<Path> s = Files.walk(c)) {
            return s.filter(p -> p.toString().endsWith(".png")).count();
        }
    }

    private static List<JsonNode> log(Path c) throws Exception {
        return Files.readAllLines(c.resolve(Captures.LABELS)).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l);
            }
        }).toList();
    }

    @Test
    void interactiveReviewAcceptsCorrectsSkipsUndoesRejectsAndNeverDeletes() throws Exception {
        Path c = captures(6, new String[]{"3", "3", "7", "7", "unknown", "3"});
        // a capture moved by hand before the review counts as labelled
        Files.createDirectories(c.resolve("9"));
        Files.move(c.resolve("3/20260101-120000-005-front-6.png"), c.resolve("9/20260101-120000-005-front-6.png"));
        long before = images(c);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Captures cap = Captures.open(c);
        assertEquals(1, cap.recordHandMoves());
        LabelCommand cmd = new LabelCommand();
        // #1 accept; #2 "8" is unknown -> asked again, "+8" makes the class; #3 skip; #4 correct to 1, undo, reject;
        // #5 (unknown) -> 2 ; then quit
        String keys = String.join("\n", "", "8", "+8", "s", "1", "u", "x", "p", "+2", "q") + "\n";
        cmd.review(Captures.open(c), new BufferedReader(new StringReader(keys)), out, true);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("'8' is not a known label"), text);
        assertTrue(text.contains("undone: correct"), text);
        assertTrue(text.contains("[1/5] 3/20260101-120000-000-front-1.png  predicted 3 (score 0.50; next 1)"), text);

        assertTrue(Files.exists(c.resolve("3/20260101-120000-000-front-1.png")), "accepted stays");
        assertTrue(Files.exists(c.resolve("8/20260101-120000-001-front-2.png")), "corrected to a new class");
        assertTrue(Files.exists(c.resolve("7/20260101-120000-002-front-3.png")), "skipped stays");
        assertTrue(Files.exists(c.resolve("_ignored/20260101-120000-003-front-4.png")), "rejected after the undo");
        assertFalse(Files.exists(c.resolve("1/20260101-120000-003-front-4.png")), "the undone correction was put back");
        assertTrue(Files.exists(c.resolve("2/20260101-120000-004-front-5.png")), "unknown frame labelled");
        assertEquals(before, images(c), "no capture deleted");

        List<JsonNode> log = log(c);
        assertEquals(List.of("moved_by_hand", "accept", "correct", "correct", "undo", "reject", "correct"),
                log.stream().map(j -> j.get("action").asText()).toList());
        assertEquals(log.get(3).get("seq").asInt(), log.get(4).get("undoes").asInt());

        // a second session continues: only the skipped capture is pending
        Captures again = Captures.open(c);
        assertEquals(1, (int) again.counts().get(Captures.State.PENDING));
        assertEquals(1, (int) again.counts().get(Captures.State.MISSING), "the quota-removed capture");
        // undo across sessions: the last decision (unknown -> 2) goes back to unknown/
        assertEquals("correct", again.undo().action());
        assertTrue(Files.exists(c.resolve("unknown/20260101-120000-004-front-5.png")));
    }

    @Test
    void csvCorrectionsMoveFilesAndReportProblems() throws Exception {
        Path c = captures(4, new String[]{"3", "3", "7", "7"});
        Files.createDirectories(c.resolve("1"));
        Files.writeString(c.resolve("1/20260101-120000-000-front-1.png"), "a different file with the same name");
        Path csv = dir.resolve("fix.csv");
        Files.writeString(csv, """
                file,label
                3/20260101-120000-000-front-1.png,1
                20260101-120000-001-front-2.png,3
                7/20260101-120000-002-front-3.png,_ignored
                7/nothere.png,4
                7/20260101-120000-003-front-4.png,../x
                """);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = LabelCommand.applyCsv(Captures.open(c), csv, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, text);
        assertTrue(text.contains("1 accepted, 1 corrected, 1 rejected, 0 already so, 2 problem(s)"), text);
        // the name was taken in 1/: the capture got a suffix, the other file is untouched
        assertEquals("a different file with the same name", Files.readString(c.resolve("1/20260101-120000-000-front-1.png")));
        assertTrue(Files.exists(c.resolve("1/20260101-120000-000-front-1-1.png")));
        assertTrue(Files.exists(c.resolve("_ignored/20260101-120000-002-front-3.png")));
        // applying it again changes nothing
        buf.reset();
        LabelCommand.applyCsv(Captures.open(c), csv, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("0 accepted, 0 corrected, 0 rejected, 3 already so"),
                buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void cameraFramesLoadAsTheNodeSeesThemAndTheShippedModelReadsThem() throws Exception {
        int n = 60;
        String[] predicted = new String[n];
        ImageSet digits = Datasets.load("mnist:" + FIXTURE, Split.TEST, null);
        for (int i = 0; i < n; i++) {
            predicted[i] = digits.classNames().get(digits.label(i)); // sorted into their true folders
        }
        Path c = captures(n, predicted);
        Files.createDirectories(c.resolve("_ignored"));
        ImageIO.write(frame(digits, 70, 320, 240), "png", c.resolve("_ignored/x.png").toFile());
        Files.createDirectories(c.resolve("unknown"));
        ImageIO.write(frame(digits, 71, 320, 240), "png", c.resolve("unknown/y.png").toFile());

        Architecture.Input in = Architecture.resolve("mnist-paper").input();
        FolderData.Sets sets = FolderData.load("folder:" + c, in, 0.2, null);
        assertEquals(28, sets.train().height());
        assertEquals(1, sets.train().channels());
        assertEquals(n, sets.train().size() + sets.test().size(), "unknown/ and _ignored/ are not classes");
        assertFalse(sets.train().classNames().contains("unknown"));
        assertTrue(sets.test().size() >= 6 && sets.test().size() <= 14, "about a fifth held out: " + sets.test().size());

        // the bytes are what the node's preprocessor makes of the full frame (to rounding)
        Bundle mnist = Models.load("mnist");
        Preprocessor node = Preprocessor.of(mnist);
        Preprocessor fromSet = Preprocessor.of(mnist);
        ImageSet all = FolderData.read(c, "c", in, null);
        BufferedImage f0 = ImageIO.read(c.resolve(predicted[0] + "/20260101-120000-000-front-1.png").toFile());
        byte[] rgb = new byte[320 * 240 * 3];
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                int v = f0.getRGB(x, y);
                rgb[(y * 320 + x) * 3] = (byte) (v >> 16);
                rgb[(y * 320 + x) * 3 + 1] = (byte) (v >> 8);
                rgb[(y * 320 + x) * 3 + 2] = (byte) v;
            }
        }
        float[] a = new float[784], b = new float[784];
        node.apply(rgb, 0, 240, 320, 3, a);
        int first = -1;
        for (int i = 0; i < all.size() && first < 0; i++) {
            if (all.label(i) == all.classNames().indexOf(predicted[0])) {
                first = i;
            }
        }
        fromSet.apply(all.pixels(), first * 784, 28, 28, 1, b);
        for (int k = 0; k < 784; k++) {
            assertEquals(a[k], b[k], 0.5 * in.scale() + 1e-6, "pixel " + k); // half a grey level
        }
        // and the shipped model reads the loaded frames as well as the digits themselves
        double err = FinetuneReport.error(mnist, all, "rate", 2);
        assertTrue(err <= 0.05, "rate error on camera frames " + err);
    }
}
