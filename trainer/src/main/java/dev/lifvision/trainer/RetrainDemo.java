package dev.lifvision.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifvision.config.NodeConfig;
import dev.lifvision.data.DatasetVideo;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.service.VisionNode;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The field half of the retraining demonstration: a shifted domain ({@link ShiftedDigits}) is
 * played as a camera video to a node running in this process with field capture on (policy all),
 * and the captures are labelled from the video's known ground truth, matched by the frame id in
 * the capture index, as a person would label them. The frames of the last {@code heldOut} digits
 * are moved out of the capture folder into {@code heldout/LABEL/} (by true label): a test set from
 * the same camera that fine-tuning never sees. Everything lands in one folder:
 *
 * <pre>
 * DIR/shifted.mp4, DIR/shifted.truth.csv   the video and its per-frame truth
 * DIR/node.yaml                            the node's configuration
 * DIR/captures/                            the node's captures (LABEL/NAME.png + index.jsonl)
 * DIR/corrections.csv                      file,label for every capture, from the truth
 * DIR/heldout/LABEL/NAME.png               the held-out digits' frames
 * </pre>
 */
public final class RetrainDemo {
    /** Seed of the shifted domain. */
    public static final long SEED = 7;

    public record Recording(Path dir, Path captures, Path corrections, Path heldOut, int frames, int captured,
                            int heldOutCaptured, int wrongBefore, double seconds) {
    }

    private RetrainDemo() {
    }

    /**
     * @param digits   source digits (e.g. the MNIST test split)
     * @param from     first digit used
     * @param images   digits whose captures are for fine-tuning
     * @param heldOut  further digits whose captures are held out
     * @param model    the node's model: a shipped name or a .lifb
     */
    public static Recording record(ImageSet digits, int from, int images, int heldOut, int width, int height,
                                   double fps, String model, Path dir, PrintStream log) throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(dir);
        Path video = dir.resolve("shifted.mp4");
        Path captures = dir.resolve("captures");
        if (Files.exists(captures)) {
            throw new IOException(captures + ": exists; use an empty folder");
        }
        ImageSet shifted = ShiftedDigits.of(digits, from, images + heldOut, 56, SEED);
        DatasetVideo v = DatasetVideo.write(video, shifted, shifted.size(), 1, width, height, fps, SEED);
        v.writeTruth(dir.resolve("shifted.truth.csv"), shifted.classNames());
        log.printf(Locale.ROOT, "wrote %s: %d frames of %dx%d at %.0f fps (%d shifted digits from image %d on)%n", video,
                v.truth.length, width, height, fps, shifted.size(), from);
        Path cfg = dir.resolve("node.yaml");
        Files.writeString(cfg, "node_id: retrain-demo\nlog_level: warn\n"
                + "model:\n  path: " + model + "\n  folder: " + dir.resolve("models") + "\n  watch: false\n"
                + "cameras:\n  field:\n    source: file://" + video.toAbsolutePath() + "\n    loop: false\n    pace: true\n"
                + "mqtt:\n  enabled: false\n"
                + "capture:\n  enabled: true\n  dir: " + captures.toAbsolutePath() + "\n  policy: all\n  quota_mb: 0\n");
        Files.createDirectories(dir.resolve("models"));
        Path index = captures.resolve(Captures.INDEX);
        double duration = v.truth.length / fps;
        try (VisionNode node = new VisionNode(NodeConfig.load(cfg), null)) {
            node.start();
            long start = System.nanoTime(), lastChange = start;
            long lastCount = -1;
            while (true) {
                Thread.sleep(500);
                long count = lines(index) + node.classified();
                long now = System.nanoTime();
                if (count != lastCount) {
                    lastCount = count;
                    lastChange = now;
                }
                double elapsed = (now - start) / 1e9;
                if (elapsed > duration && (now - lastChange) / 1e9 > 3) {
                    break;
                }
                if (elapsed > 3 * duration + 60) {
                    throw new IOException("the node did not finish the video in " + Math.round(elapsed) + " s");
                }
            }
            log.printf(Locale.ROOT, "node classified %d of %d frames in %.1f s%n", node.classified(), v.truth.length,
                    (System.nanoTime() - start) / 1e9);
        }
        // label from the truth by frame id; move the held-out digits' frames out
        ObjectMapper json = new ObjectMapper();
        StringBuilder csv = new StringBuilder("file,label\n");
        int captured = 0, held = 0, wrong = 0;
        Path heldDir = dir.resolve("heldout");
        for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
            JsonNode o;
            try {
                o = json.readTree(line);
            } catch (IOException e) {
                continue;
            }
            String file = o.path("file").asText();
            long frame = o.path("frame").asLong(-1);
            if (frame < 1 || frame > v.truth.length || !Files.isRegularFile(captures.resolve(file))) {
                continue;
            }
            String truth = shifted.classNames().get(v.truth[(int) frame - 1]);
            if (v.image[(int) frame - 1] >= images) {
                Path to = Files.createDirectories(heldDir.resolve(truth)).resolve(Path.of(file).getFileName());
                Files.move(captures.resolve(file), to);
                held++;
            } else {
                csv.append(file).append(',').append(truth).append('\n');
                captured++;
                if (!truth.equals(o.path("label").asText())) {
                    wrong++;
                }
            }
        }
        Path corrections = dir.resolve("corrections.csv");
        Files.writeString(corrections, csv.toString());
        double secs = (System.nanoTime() - t0) / 1e9;
        log.printf(Locale.ROOT, "%d captures for fine-tuning (%d predicted wrong, %.1f %%), labels from the truth in %s; "
                        + "%d held-out captures in %s (%.1f s)%n", captured, wrong, 100.0 * wrong / Math.max(1, captured),
                corrections, held, heldDir, secs);
        return new Recording(dir, captures, corrections, heldDir, v.truth.length, captured, held, wrong, secs);
    }

    private static long lines(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            return 0;
        }
        try (var s = Files.lines(f)) {
            return s.count();
        }
    }

    @picocli.CommandLine.Command(name = "demo-captures", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Record a shifted domain (inverted MNIST digits on textured, coloured, blurred",
                    "backgrounds) through a node in this process into field captures, with a",
                    "corrections CSV from the ground truth and a held-out folder: the input of",
                    "launch/retrain's demonstration.", "",
                    "Example:", "  lifvision-train demo-captures --mnist ../shared/datasets/mnist --out /tmp/shift"})
    static final class Command implements Callable<Integer> {
        @Option(names = "--mnist", required = true, paramLabel = "DIR", description = "MNIST (its test split is used).")
        Path mnist;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (must not hold captures/).")
        Path out;

        @Option(names = "--from", defaultValue = "5000", paramLabel = "N", description = "First test image (default: ${DEFAULT-VALUE}).")
        int from;

        @Option(names = "--images", defaultValue = "1000", paramLabel = "N", description = "Digits for fine-tuning (default: ${DEFAULT-VALUE}).")
        int images;

        @Option(names = "--heldout", defaultValue = "400", paramLabel = "N", description = "Digits held out (default: ${DEFAULT-VALUE}).")
        int heldOut;

        @Option(names = "--size", defaultValue = "320x240", paramLabel = "WxH", description = "Frame size (default: ${DEFAULT-VALUE}).")
        String size;

        @Option(names = "--fps", defaultValue = "25", paramLabel = "F", description = "Frame rate (default: ${DEFAULT-VALUE}).")
        double fps;

        @Option(names = "--model", defaultValue = "mnist", paramLabel = "M", description = "The node's model (default: ${DEFAULT-VALUE}).")
        String model;

        @Override
        public Integer call() throws Exception {
            String[] wh = size.split("x");
            ImageSet digits = Datasets.load("mnist:" + mnist, Split.TEST, null);
            Recording r = record(digits, from, images, heldOut, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), fps,
                    model, out, System.out);
            System.out.println("next: launch/retrain " + r.captures() + " --labels " + r.corrections() + " --also shifted="
                    + "folder:" + r.heldOut());
            return 0;
        }
    }
}
