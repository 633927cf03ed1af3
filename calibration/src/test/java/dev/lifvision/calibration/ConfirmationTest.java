package dev.lifvision.calibration;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.data.ImageSet;
import dev.lifvision.eval.EvalResult;
import dev.lifvision.eval.Evaluator;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The confirmation re-measures the sweep's fastest candidates on images the sweep never saw and
 * takes the first that meets the rule there: its figures are real (a direct run of the written
 * bundle on those images gives them) and within the tolerance there.
 */
class ConfirmationTest {

    @Test
    void choiceIsMeasuredAgainOnFreshImagesAndHoldsThere() throws Exception {
        ImageSet all = TestNets.digits();
        ImageSet sweep = all.subset(IntStream.range(0, 100).toArray());
        ImageSet fresh = all.subset(IntStream.range(100, all.size()).toArray());
        Bundle b = TestNets.small(all, CurvesMatchEvaluatorTest.SIM);
        int[] map = Evaluator.labelMap(all.classNames(), b.manifest().labels());
        double tol = 0.03;
        Calibrator.Result r = new Calibrator(CurvesMatchEvaluatorTest.settings(tol), null).withEmulatorTolerance(-1)
                .run(b, sweep, map, "first 100", fresh, "last 100");
        // one candidate per (variant, synapse), each carrying its own setting's figures
        java.util.Set<String> pairs = new java.util.HashSet<>();
        for (Calibrator.Choice c : r.bestPerSynapse) {
            assertTrue(pairs.add(c.variant() + "/" + c.synapse()), "candidates " + r.bestPerSynapse);
            assertEquals(r.curves.get(c.variant()).errors[c.synapse()][c.tcIndex()][c.tpIndex()], c.errors());
        }
        assertTrue(pairs.size() > 1, "the fixture must offer several candidates: " + r.bestPerSynapse);
        Calibrator.Confirmation cf = r.confirmation;
        assertNotNull(cf);
        assertEquals(fresh.size(), cf.images);
        assertFalse(cf.tried.isEmpty());
        assertTrue(cf.tried.size() <= 2);
        assertEquals(r.bestPerSynapse.get(0), cf.tried.get(0).candidate(), "the sweep's fastest candidate first");
        assertNotNull(r.chosen, r.failure);
        assertNotNull(cf.confirmed);
        assertEquals(cf.confirmed.tpSteps(), r.chosen.tpSteps());
        assertEquals(cf.confirmed.tcSteps(), r.chosen.tcSteps());
        assertEquals(cf.tried.get(cf.tried.size() - 1).candidate().synapse(), r.chosen.synapse());
        // a candidate's own setting is kept exactly when it is within the tolerance on the fresh images
        for (Calibrator.Confirmation.Trial t : cf.tried) {
            assertEquals(t.candidate().tcIndex(), t.samePoint().tcIndex());
            assertEquals(t.candidate().tpIndex(), t.samePoint().tpIndex());
            boolean within = t.samePoint().errors() >= 0
                    && t.samePoint().errors() <= cf.annErrors + tol * fresh.size() + 1e-9;
            assertEquals(within, t.held(), "trial " + t.samePoint() + " vs ANN " + cf.annErrors);
            if (t.held()) {
                assertEquals(t.samePoint(), t.confirmed());
            }
        }
        Calibrator.Confirmation.Trial taken = cf.tried.get(cf.tried.size() - 1);
        if (taken.held()) {
            assertEquals(taken.candidate(), r.chosen, "a setting that held is the sweep's own point");
        }

        // the written bundle, run directly on the confirmation images, gives the confirmation's count
        EvalResult direct = Calibrator.evaluate(r.calibrated, "spiking", fresh, map, 2, null);
        assertEquals(cf.confirmed.errors(), direct.errors);
        assertTrue(direct.errors <= cf.annErrors + tol * fresh.size() + 1e-9,
                direct.errors + " errors vs ANN " + cf.annErrors + " on " + fresh.size());
        assertEquals(cf.annErrors, Calibrator.evaluate(b, "rate", fresh, map, 2, null).errors);
        assertTrue(r.calibrated.manifest().calibration().has("confirmation"));
        // and the sweep's own figures at the confirmed setting are what the bundle gives on the sweep images
        assertEquals(r.chosen.errors(), Calibrator.evaluate(r.calibrated, "spiking", sweep, map, 2, null).errors);
    }
}
