package dev.lifvision.emulator;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.emulator.Quantiser.InputPath;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.network.FrameResult;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Single-neuron integer traces against values computed by hand. */
class IntegerNeuronTest {
    static final ChipProfile CHIP = ChipProfile.LOIHI;

    /**
     * One step per present (presentation = dt, continuous). Regular input spikes at 1000 Hz for an
     * input of 1: one spike on the single axon every step. Weight mantissa 100 with exponent -7
     * (shift 0): input 100 per step. decay_u 1023 -> u keeps (4096-1-1023)/4096 = 3/4; decay_v 2048 ->
     * v keeps 1/2; threshold mantissa 4 -> 256; refractory delay 3.
     */
    private static LoihiSimulator sim(int weightMantissa, int weightExp) {
        Bundle b = EmulatorFixtures.singleNeuron();
        SimOptions opt = new SimOptions(0.001, 0.001, 0, 0.001, dev.lifvision.bundle.SynapseSpec.parse("lowpass:0.005"),
                true, InputCoding.REGULAR, 1000, 1);
        List<StagePlan> plans = StagePlan.of(b);
        QuantisedLayer hidden = new QuantisedLayer(plans.get(0), true, new int[]{weightMantissa}, weightExp,
                new int[]{0}, 0, 1023, 2048, 3, 4, 1.0);
        QuantisedLayer out = new QuantisedLayer(plans.get(1), false, new int[]{1}, -7, new int[]{0}, 0, 1023, 0, 0,
                0, 1.0);
        QuantisedNetwork q = new QuantisedNetwork(CHIP, InputPath.SPIKES, opt, "hand", plans, List.of(hidden, out),
                false);
        return new LoihiSimulator(Network.of(b), opt, q);
    }

    @Test
    void traceOfDecayThresholdAndRefractoryPeriod() {
        LoihiSimulator s = sim(100, -7);
        FrameResult r = s.newResult();
        // step: u = floor(3/4 u) + 100; v = floor(v / 2) + u; spike when v > 256, then v = 0 and v is
        // held at 0 for round(tau_ref/dt) = 2 steps
        // step 3: v = 112 + 231 = 343 > 256 -> spike, delay 3; steps 4 and 5 held (3 -> 2, 2 -> 1);
        // step 6: counter 1 -> 0, free: v = 0 + 328 > 256 -> spike; steps 7 and 8 held again
        int[] u = {100, 175, 231, 273, 304, 328, 346, 359, 369};
        int[] v = {100, 225, 0, 0, 0, 0, 0, 0, 0}; // 0 after each spike (reset) and while held
        boolean[] spike = {false, false, true, false, false, true, false, false, true};
        for (int t = 0; t < u.length; t++) {
            s.present(new float[]{1f}, r);
            assertEquals(u[t], s.current(0)[0], "u at step " + (t + 1));
            assertEquals(v[t], s.voltage(0)[0], "v at step " + (t + 1));
            assertEquals(spike[t] ? 1 : 0, r.spikes[0], "spike at step " + (t + 1));
        }
    }

    @Test
    void decayIsSignSymmetricAndRoundsTowardZero() {
        assertEquals(131, LoihiSimulator.decay(175, 3072, 12, 4095));
        assertEquals(-131, LoihiSimulator.decay(-175, 3072, 12, 4095));
        assertEquals(0, LoihiSimulator.decay(1, 2048, 12, 4095));
        assertEquals(0, LoihiSimulator.decay(-1, 2048, 12, 4095));
        // large values: no int overflow in |x| * keep
        int big = (1 << 22) - 1;
        assertEquals((int) ((long) big * 4095 / 4096), LoihiSimulator.decay(big, 4095, 12, 4095));
        assertEquals(-(int) ((long) big * 4095 / 4096), LoihiSimulator.decay(-big, 4095, 12, 4095));
    }

    @Test
    void referenceDecaysAndRefractoryDelay() {
        SimOptions o = EmulatorFixtures.options(0.2, "lowpass:0.005", InputCoding.CURRENT);
        assertEquals(182, Quantiser.decayV(CHIP, 0.001, 0.022)); // round((1 - e^-1/22) 4095) = round(181.98)
        assertEquals(741, Quantiser.decayU(CHIP, o)); // round((1 - e^-0.2) 4095 - 1) = round(741.3)
        assertEquals(4095, Quantiser.decayU(CHIP, o.withSynapse(dev.lifvision.bundle.SynapseSpec.parse("none"))));
        assertEquals(3, Quantiser.refractoryDelay(CHIP, "l", 0.001, 0.002));
        var e = assertThrows(IllegalArgumentException.class, () -> Quantiser.refractoryDelay(CHIP, "slow", 0.001, 0.07));
        assertTrue(e.getMessage().contains("slow") && e.getMessage().contains("63"), e.getMessage());
    }

    @Test
    void overflowIsSaturatedAndReportedPerLayer() {
        // mantissa 127 at exponent 7: 127 << 14 = 2080768 per spike, beyond the 21-bit input (max 1048575)
        LoihiSimulator s = sim(127, 7);
        FrameResult r = s.newResult();
        s.present(new float[]{1f}, r);
        // the input saturates at the largest value the shift can reach: (2^20 - 1) >> 14 = 63, 63 << 14
        assertEquals(63 << 14, s.current(0)[0], "saturated, not wrapped (wrapping 21 bits would give -16384)");
        for (int t = 1; t < 5; t++) {
            s.present(new float[]{1f}, r);
        }
        QuantisedNetwork q = s.quantised();
        assertEquals(5, q.overflows(0, 0), "input saturated every step");
        assertEquals(0, q.overflows(1, 0), "the readout layer did not overflow");
        assertTrue(q.overflowReport().contains("d1 input 5x"), q.overflowReport());
    }
}
