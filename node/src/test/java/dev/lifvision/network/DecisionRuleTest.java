package dev.lifvision.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifvision.bundle.Manifest;
import dev.lifvision.encode.InputCoding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Early decision in the spiking backend: where it stops, what it reports, and when a rule does not apply. */
class DecisionRuleTest {

    @Test
    void anEarlyStopAnswersExactlyAsTheTruncatedPresentationWould() {
        float[][] x = SpikingSimulatorTest.images(12, 21);
        Network net = SpikingSimulatorTest.convPoolNet(x);
        SimOptions opt = SpikingSimulatorTest.options(0.1, "alpha:0.003"); // readout steps 30..99
        SpikingSimulator full = new SpikingSimulator(net, opt);
        SpikingSimulator early = new SpikingSimulator(net, opt);
        FrameResult a = full.newResult(), b = early.newResult();

        // an unreachable margin changes nothing
        early.setDecisionRule(new DecisionRule(1e30, 1, 0.03, 0.1));
        for (float[] img : x) {
            full.present(img, a);
            early.present(img, b);
            assertArrayEquals(a.output, b.output);
            assertEquals(100, b.steps);
            assertEquals(a.synapticEvents, b.synapticEvents);
        }

        // margin 0: stops as soon as the minimum readout is reached
        early.setDecisionRule(new DecisionRule(0, 4, 0.03, 0.1));
        early.present(x[0], b);
        assertEquals(34, b.steps);
        assertEquals(4, b.readoutSteps);

        // a real margin: each image stops somewhere, and its answer and counts equal a presentation cut there
        early.setDecisionRule(new DecisionRule(0.05, 2, 0.03, 0.1));
        int stoppedEarly = 0;
        for (float[] img : x) {
            early.present(img, b);
            SpikingSimulator cut = new SpikingSimulator(net, opt.withPresentation(b.steps * 0.001).withReadout(0.03, b.steps * 0.001));
            cut.present(img, a);
            assertArrayEquals(a.output, b.output, "stopped at step " + b.steps);
            assertEquals(a.synapticEvents, b.synapticEvents);
            assertEquals(a.neuronUpdates, b.neuronUpdates);
            stoppedEarly += b.steps < 100 ? 1 : 0;
        }
        assertTrue(stoppedEarly > 0, "the margin must stop some images early for this check to mean anything");
    }

    @Test
    void ruleFromTheBundleAndWhenItDoesNotHold() throws Exception {
        ObjectMapper j = new ObjectMapper();
        var cal = j.readTree("{\"confidence_rule\": {\"type\": \"margin\", \"margin\": 0.2, \"min_readout_steps\": 3,"
                + " \"readout_start\": 0.0, \"max_time\": 0.03}}");
        DecisionRule r = DecisionRule.of(manifestWith(cal));
        assertEquals(new DecisionRule(0.2, 3, 0.0, 0.03), r);
        assertNull(DecisionRule.of(manifestWith(j.readTree("{\"chosen\": {}}"))));

        SimOptions calibrated = new SimOptions(0.001, 0.03, 0, 0.03, dev.lifvision.bundle.SynapseSpec.parse("lowpass:0.002"),
                false, InputCoding.CURRENT, 250, 1);
        assertNull(r.whyNot(calibrated, calibrated, "spiking"));
        assertTrue(r.whyNot(calibrated, calibrated, "loihi").contains("loihi"));
        assertTrue(r.whyNot(calibrated.withContinuous(true), calibrated, "spiking").contains("continuous"));
        assertTrue(r.whyNot(calibrated.withCoding(InputCoding.POISSON, 250), calibrated, "spiking").contains("input spikes"));
        assertNotNull(r.whyNot(calibrated.withPresentation(0.06), calibrated, "spiking"));

        var bad = j.readTree("{\"confidence_rule\": {\"margin\": \"wide\", \"min_readout_steps\": 3,"
                + " \"readout_start\": 0.0, \"max_time\": 0.03}}");
        var e = assertThrows(IllegalArgumentException.class, () -> DecisionRule.of(manifestWith(bad)));
        assertTrue(e.getMessage().contains("calibration.confidence_rule.margin"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> Backends.create("rate",
                SpikingSimulatorTest.convPoolNet(SpikingSimulatorTest.images(2, 1)), calibrated).setDecisionRule(r));
    }

    private static Manifest manifestWith(com.fasterxml.jackson.databind.JsonNode calibration) {
        float[][] x = SpikingSimulatorTest.images(2, 3);
        var b = RandomNetworks.build("t", SpikingSimulatorTest.IN, java.util.List.of(
                dev.lifvision.bundle.LayerSpec.dense("out", new int[]{12, 12, 1}, 10, dev.lifvision.bundle.NeuronSpec.linear())),
                RandomNetworks.digits(), 1, x, 1);
        Manifest m = b.manifest();
        return new Manifest(m.formatVersion(), m.name(), m.labels(), m.input(), m.layers(), m.simulation(), calibration,
                m.provenance(), m.tensors());
    }
}
