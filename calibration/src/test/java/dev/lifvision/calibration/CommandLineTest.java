package dev.lifvision.calibration;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.InputSpec;
import dev.lifvision.bundle.Manifest;
import dev.lifvision.bundle.SimulationSpec;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.data.ImageSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** lifvision-calibrate end to end on the fixture digits, and its messages for bad input. */
class CommandLineTest {
    static ImageSet digits;
    static final SimulationSpec SHORT = new SimulationSpec(0.001, new SynapseSpec("none", 0), 0.06, 0.02, 0.06, "reset");

    @BeforeAll
    static void load() throws Exception {
        digits = TestNets.digits();
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        var cl = CalibrateMain.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static String[] common(Path model, Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("--model", model.toString(), "--out", out.toString(),
                "--split", "test", "--synapses", "none,lowpass:0.004", "--threads", "2"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void calibratesAndNeverTouchesTheInput(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("small.lifb");
        TestNets.small(digits, SHORT).write(model, false);
        byte[] before = Files.readAllBytes(model);
        Run r = run(common(model, dir.resolve("cal"), "--tolerance", "2", "--max-time", "0.06"));
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(before, Files.readAllBytes(model), "input unchanged");
        Path written = dir.resolve("cal/small-calibrated.lifb");
        Bundle b = Bundle.read(written);
        assertTrue(b.manifest().simulation().presentation() <= 0.06);
        assertTrue(r.out().contains("written bundle re-evaluated on the calibration set"), r.out());
        assertTrue(r.err().contains("warning: calibrating on the test split"), r.err());
        assertTrue(Files.exists(dir.resolve("cal/report.md")));
        // a second run does not overwrite without --force
        Run again = run(common(model, dir.resolve("cal"), "--tolerance", "2", "--max-time", "0.06"));
        assertEquals(2, again.code());
        assertTrue(again.err().contains("exists; pass --force"), again.err());
    }

    @Test
    void unreachableToleranceSaysWhichAndTheBestReachableSettingAndWritesNoBundle(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("small.lifb");
        SimulationSpec tiny = new SimulationSpec(0.001, new SynapseSpec("none", 0), 0.01, 0, 0.01, "reset");
        TestNets.small(digits, tiny).write(model, false);
        Run r = run(common(model, dir.resolve("cal"), "--tolerance", "0", "--max-time", "0.01", "--no-rate-scaling"));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("no setting reaches the ANN's error"), r.err());
        assertTrue(r.err().contains("best reachable:"), r.err());
        assertFalse(Files.exists(dir.resolve("cal/small-calibrated.lifb")));
        assertTrue(Files.readString(dir.resolve("cal/report.md")).contains("No bundle written"));
    }

    @Test
    void bundleWithoutCalibrationSet(@TempDir Path dir) throws Exception {
        Bundle b = TestNets.small(digits, SHORT);
        Manifest m = b.manifest();
        Path model = dir.resolve("noprov.lifb");
        new Bundle(new Manifest(m.formatVersion(), m.name(), m.labels(), m.input(), m.layers(), m.simulation(), null,
                null, null), b.tensors()).write(model, false);
        Run r = run("--model", model.toString(), "--out", dir.resolve("cal").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("has no calibration set"), r.err());
    }

    @Test
    void imageSizeAndLabelMismatch(@TempDir Path dir) throws Exception {
        Bundle b = TestNets.small(digits, SHORT);
        Manifest m = b.manifest();
        // same weights, but the input claims 32x32 sources cropped to 28x28
        InputSpec in = m.input();
        InputSpec bigger = new InputSpec(in.height(), in.width(), in.channels(), in.colorOrder(), in.resize(),
                in.scale(), in.offset(), null, new int[]{32, 32});
        Path model = dir.resolve("size.lifb");
        new Bundle(new Manifest(m.formatVersion(), m.name(), m.labels(), bigger, m.layers(), m.simulation(),
                m.calibration(), m.provenance(), null), b.tensors()).write(model, false);
        Run r = run("--model", model.toString(), "--out", dir.resolve("cal").toString(), "--split", "test");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("has 28x28x1 images but model small expects 32x32x1"), r.err());

        // eleven labels that are not the dataset's ten classes
        var x = new float[digits.size()][784];
        var pre = new dev.lifvision.encode.Preprocessor(in, null);
        for (int i = 0; i < x.length; i++) {
            pre.apply(digits.pixels(), i * 784, 28, 28, 1, x[i]);
        }
        List<String> eleven = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");
        Bundle other = dev.lifvision.network.RandomFeatures.fit("eleven", in, eleven, x, digits.labels(), 20,
                dev.lifvision.bundle.NeuronSpec.lif(0.022, 0.002, 1, 0.063), 3, 1e-3, 1);
        Path elevenModel = dir.resolve("eleven.lifb");
        other.write(elevenModel, false);
        Run wrong = run("--model", elevenModel.toString(), "--out", dir.resolve("cal2").toString(), "--split", "test",
                "--data", "mnist:" + TestNets.FIXTURE);
        assertTrue(wrong.err().contains("classes") && wrong.err().contains("labels"), wrong.err());
        assertEquals(2, wrong.code());
    }
}
