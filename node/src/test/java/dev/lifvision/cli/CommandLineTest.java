package dev.lifvision.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The commands end to end on a small generated image-folder dataset: real files, real parsing. */
class CommandLineTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true));
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
        }
    }

    /** Two classes of 10x10 grey images: bright on the left half, or on the right half, plus noise. */
    @BeforeAll
    static void makeDataset() throws Exception {
        data = dir.resolve("halves");
        Random r = new Random(5);
        for (String split : new String[]{"train", "test"}) {
            for (String cls : new String[]{"left", "right"}) {
                Path d = Files.createDirectories(data.resolve(split).resolve(cls));
                for (int i = 0; i < (split.equals("train") ? 80 : 25); i++) {
                    BufferedImage img = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < 10; y++) {
                        for (int x = 0; x < 10; x++) {
                            boolean lit = cls.equals("left") ? x < 5 : x >= 5;
                            int v = Math.min(255, Math.max(0, (lit ? 170 : 60) + (int) (r.nextGaussian() * 50)));
                            img.getRaster().setSample(x, y, 0, v);
                        }
                    }
                    ImageIO.write(img, "png", d.resolve(String.format("%03d.png", i)).toFile());
                }
            }
        }
        model = dir.resolve("halves.lifb");
        Run made = run("random-model", "--data", "folder:" + data, "--out", model.toString(), "--hidden", "60");
        assertEquals(0, made.exit(), made.err());
        assertTrue(Files.isRegularFile(model));
    }

    static double errorRate(String out) {
        Matcher m = Pattern.compile("error rate\\s+([0-9.]+) %").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void evalRateAndSpikingClassifyTheHeldOutImages() {
        Run rate = run("eval", "--model", model.toString(), "--data", "folder:" + data, "--backend", "rate");
        assertEquals(0, rate.exit(), rate.err());
        assertTrue(errorRate(rate.out()) <= 10, rate.out());
        Run spiking = run("eval", "--model", model.toString(), "--data", "folder:" + data, "--backend", "spiking",
                "--presentation", "0.2", "--synapse", "alpha:0.005", "--threads", "2");
        assertEquals(0, spiking.exit(), spiking.err());
        assertTrue(errorRate(spiking.out()) <= 12, spiking.out());
        assertTrue(spiking.out().contains("spikes"), spiking.out());
        assertTrue(spiking.out().contains("synaptic events"), spiking.out());
        assertTrue(spiking.out().contains("confusion"), spiking.out());
        assertTrue(spiking.out().matches("(?s).*200 steps.*readout steps 101\\.\\.200.*"), spiking.out());
        assertTrue(spiking.err().contains("eval ["), "progress bar on stderr: " + spiking.err());
    }

    @Test
    void evalWithLimitAndSpikeInputCoding() {
        Run r = run("eval", "--model", model.toString(), "--data", "folder:" + data, "--limit", "10", "--input",
                "regular", "--input-rate", "400", "--mode", "continuous");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("10 images"), r.out());
    }

    @Test
    void infoPrintsTheManifest() {
        Run r = run("info", model.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("labels     2: left, right"), r.out());
        assertTrue(r.out().contains("hidden") && r.out().contains("lif tau_rc"), r.out());
    }

    @Test
    void badInputGivesOneClearLineAndExitCode2() {
        Run missing = run("eval", "--model", dir.resolve("nope.lifb").toString(), "--data", "folder:" + data);
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope.lifb"), missing.err());
        assertFalse(missing.err().contains("\tat "), "no stack trace: " + missing.err());

        Run badData = run("eval", "--model", model.toString(), "--data", "svhn:" + data);
        assertEquals(2, badData.exit());
        assertTrue(badData.err().contains("svhn"), badData.err());

        Run badSynapse = run("eval", "--model", model.toString(), "--data", "folder:" + data, "--synapse", "gauss:1");
        assertEquals(2, badSynapse.exit());
        assertTrue(badSynapse.err().contains("gauss"), badSynapse.err());

        Run badBackend = run("eval", "--model", model.toString(), "--data", "folder:" + data, "--backend", "gpu");
        assertEquals(2, badBackend.exit());
        assertTrue(badBackend.err().contains("gpu"), badBackend.err());

        Run notABundle = run("info", data.resolve("test/left/000.png").toString());
        assertEquals(2, notABundle.exit());
        assertTrue(notABundle.err().contains("000.png"), notABundle.err());
    }

    @Test
    void randomModelNeverOverwritesWithoutForce() throws Exception {
        long before = Files.size(model);
        byte[] content = Files.readAllBytes(model);
        Run r = run("random-model", "--data", "folder:" + data, "--out", model.toString(), "--hidden", "10");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("exists"), r.err());
        assertEquals(before, Files.size(model));
        assertArrayEquals(content, Files.readAllBytes(model));
    }

    @Test
    void helpIsReadable() {
        Run r = run("eval", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--presentation") && r.out().contains("--synapse"), r.out());
        Run top = run("--help");
        assertTrue(top.out().contains("eval") && top.out().contains("info"), top.out());
    }
}
