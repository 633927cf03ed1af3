package dev.lifvision.calibration;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.data.ImageSet;
import dev.lifvision.eval.Evaluator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The statistical margin: a choice made with it satisfies the margin rule and is never faster than one without. */
class ChoiceMarginTest {

    @Test
    void marginNeverChoosesAShorterPresentationAndItsChoiceHoldsTheRule() throws Exception {
        ImageSet set = TestNets.digits();
        Bundle b = TestNets.small(set, CurvesMatchEvaluatorTest.SIM);
        int[] map = Evaluator.labelMap(set.classNames(), b.manifest().labels());
        Calibrator.Result r = new Calibrator(CurvesMatchEvaluatorTest.settings(0.03), null).run(b, set, map, "fixture");
        assertNotNull(r.chosen, r.failure);
        Calibrator.Choice plain = r.chosen;
        int n = r.images();
        int annErrors = r.curves.get(0).annErrors;

        boolean marginMattered = false;
        for (double z : new double[]{0.5, 1, 2}) {
            r.settings = r.settings.withMargin(z);
            r.chosen = null;
            r.bestReachable = null;
            Calibrator.choose(r);
            if (r.chosen == null) {
                marginMattered = true;
                continue;
            }
            Calibrator.Choice c = r.chosen;
            assertTrue(c.tpSteps() >= plain.tpSteps(), "margin " + z + " chose " + r.describe(c) + " before " + r.describe(plain));
            Curves cv = r.curves.get(c.variant());
            int dis = cv.disagree[c.synapse()][c.tcIndex()][c.tpIndex()];
            assertTrue(c.errors() - annErrors + z * Math.sqrt(dis) <= 0.03 * n + 1e-9,
                    "margin " + z + ": " + r.describe(c) + " with " + dis + " disagreements");
            marginMattered |= c.tpSteps() > plain.tpSteps();
        }
        // the rule must bite somewhere on this small set (200 images), else the test proves nothing
        assertTrue(marginMattered, "the margin never changed the choice " + r.describe(plain));
    }
}
