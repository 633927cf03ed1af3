package dev.lifvision.calibration;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.SimulationSpec;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.data.ImageSet;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.eval.EvalResult;
import dev.lifvision.eval.Evaluator;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The curves come from one long run per image; they must equal what the node's Evaluator gives when
 * it runs each (synapse, t_c, t_p) on its own, and a written calibrated bundle must reproduce them.
 */
class CurvesMatchEvaluatorTest {
    static final SimulationSpec SIM = new SimulationSpec(0.001, new SynapseSpec("alpha", 0.005), 0.08, 0.04, 0.08, "reset");

    static Settings settings(double tolerance) {
        return new Settings(tolerance, List.of(SynapseSpec.parse("none"), SynapseSpec.parse("lowpass:0.005"),
                SynapseSpec.parse("alpha:0.003")), 0.08, 10, 10, true, 0.4, 4.0, 2);
    }

    @Test
    void curvesEqualDirectEvaluationAndTheWrittenBundleReproducesTheReportedError(@TempDir Path dir) throws Exception {
        ImageSet set = TestNets.digits();
        Bundle b = TestNets.small(set, SIM);
        int[] map = Evaluator.labelMap(set.classNames(), b.manifest().labels());
        Calibrator.Result r = new Calibrator(settings(0.02), null).run(b, set, map, "fixture");
        assertNull(r.failure, r.failure);
        assertEquals(4, r.measurements.get(0).synapses.size(), "the input's own synapse is measured too");

        Network net = Network.of(b);
        Curves c = r.curves.get(0);
        EvalResult ann = new Evaluator(net, "rate", SimOptions.of(SIM), () -> Preprocessor.of(b)).run(set, map, 2, null);
        assertEquals(ann.errors, c.annErrors);
        int[][] points = {{0, 0, 1}, {0, 2, 4}, {1, 1, 7}, {2, 3, 5}, {3, 4, 7}, {3, 0, 3}};
        for (int[] pt : points) {
            int s = pt[0], a = pt[1], p = pt[2];
            SynapseSpec syn = c.m.synapses.get(s);
            double tp = c.tp[p] * 0.001, tc = c.tc[a] * 0.001;
            SimOptions opt = SimOptions.of(SIM).withSynapse(syn).withPresentation(tp).withReadout(tc, tp);
            EvalResult e = new Evaluator(net, "spiking", opt, () -> Preprocessor.of(b)).run(set, map, 2, null);
            assertEquals(e.errors, c.errors[s][a][p], "errors at " + syn + " t_c " + tc + " t_p " + tp);
            assertEquals(e.perFrame(e.synapticEvents), c.meanEvents[s][p], 1e-6, "events at " + syn + " t_p " + tp);
            assertEquals(e.perFrame(e.energyFlops), c.energy(s, p), 1e-6 * c.energy(s, p), "energy");
        }

        // the calibrated bundle, written and read back, gives the reported error through the node's own path
        assertNotNull(r.calibrated);
        Path out = dir.resolve("small-calibrated.lifb");
        r.calibrated.write(out, false);
        Bundle back = Bundle.read(out);
        var sim = back.manifest().simulation();
        Calibrator.Choice ch = r.chosen;
        assertEquals(ch.tpSteps() * 0.001, sim.presentation(), 1e-12);
        assertEquals(ch.tcSteps() * 0.001, sim.readoutStart(), 1e-12);
        assertEquals(r.measurements.get(ch.variant()).synapses.get(ch.synapse()), sim.synapse());
        EvalResult again = new Evaluator(Network.of(back), "spiking", SimOptions.of(sim), () -> Preprocessor.of(back))
                .run(set, map, 2, null);
        assertEquals(ch.errors(), again.errors, "written bundle reproduces the calibration error");
        assertTrue(ch.error() <= r.annError() + 0.02 + 1e-9);
        var cal = back.manifest().calibration();
        assertEquals("keep me", cal.get("other_tool").asText(), "other calibration keys are preserved");
        assertEquals(ch.error(), cal.get("chosen").get("snn_error").asDouble(), 1e-6);
        assertTrue(cal.has("confidence_rule") || r.early.recommended == null);
        assertNotNull(r.early.recommended, "this fixture yields a confidence rule, so the check below runs");
        {
            // the node's early decision, from the stored rule, decides exactly where calibration said it would
            var rule = dev.lifvision.network.DecisionRule.of(back.manifest());
            assertNull(rule.whyNot(SimOptions.of(sim), SimOptions.of(sim), "spiking"));
            EvalResult early = new Evaluator(Network.of(back), "spiking", SimOptions.of(sim), () -> Preprocessor.of(back))
                    .withDecisionRule(rule).run(set, map, 2, null);
            assertEquals(r.early.recommended.errors(), early.errors, "early-decision errors as calibrated");
            assertEquals(r.early.recommended.meanSteps(), (double) early.stepsRun / early.frames, 1e-9,
                    "mean decision step as calibrated");
        }
        // quantised with the node's emulator quantiser: integer parameters stored, emulator error measured
        var emu = cal.get("emulator");
        assertNotNull(emu, "emulator section");
        assertTrue(emu.has("ready") && emu.has("error_emulator") && emu.has("float_sha256"), emu.toString());
        assertEquals(emu.get("error_emulator").asDouble() - emu.get("error_float_snn").asDouble() <= 0.005 + 1e-9,
                emu.get("ready").asBoolean());
        assertTrue(back.tensors().keySet().stream().anyMatch(k -> k.startsWith("emu.")), "integer tensors stored");
        assertNotNull(dev.lifvision.emulator.QuantisedNetwork.load(back, dev.lifvision.emulator.ChipProfile.LOIHI, SimOptions.of(sim)));
        assertTrue(cal.get("energy").get("efficiency_ratio").asDouble() > 0);

        // report files
        ReportWriter.Extras x = new ReportWriter.Extras();
        x.command = "test";
        ReportWriter.write(dir.resolve("report"), r, x);
        for (String f : List.of("report.md", "curves.csv", "error-vs-time.png", "confusion-snn.png",
                "confusion-ann.png", "rates-hidden.png")) {
            assertTrue(Files.size(dir.resolve("report").resolve(f)) > 100, f);
        }
        String md = Files.readString(dir.resolve("report/report.md"));
        assertTrue(md.contains("Quantisation") && md.contains("emulator"), md);
        long rows = Files.readAllLines(dir.resolve("report/curves.csv")).size();
        assertTrue(rows > 50, "csv rows " + rows);
    }

    @Test
    void maxTimeBelowTheBundlesPresentationBoundsTheChoice() throws Exception {
        ImageSet set = TestNets.digits();
        Bundle b = TestNets.small(set, SIM); // presents for 80 ms
        int[] map = Evaluator.labelMap(set.classNames(), b.manifest().labels());
        Settings st = new Settings(0.5, List.of(SynapseSpec.parse("none")), 0.03, 10, 10, false, 0.4, 4.0, 2);
        Calibrator.Result r = new Calibrator(st, null).withEmulatorTolerance(-1).run(b, set, map, "fixture");
        assertNull(r.failure, r.failure);
        assertEquals(80, r.measurements.get(0).maxSteps, "the input's 80 ms defaults are still measured");
        assertEquals(30, r.curves.get(0).tp[r.curves.get(0).tp.length - 1], "candidates end at --max-time");
        assertTrue(r.chosen.tpSteps() <= 30, "chosen " + r.chosen);
    }
}
