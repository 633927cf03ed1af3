package dev.lifvision.emulator;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.Tensor;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.network.SimOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class QuantiserTest {
    static final ChipProfile CHIP = ChipProfile.LOIHI;

    @Test
    void knownWeightMatrixGivesExpectedMantissasAndExponent() {
        // scaled values 16256, -8128, 4064, 16.256, -6096: the largest needs 2^(7+e) >= 128 -> e = 0
        float[] w = {1f, -0.5f, 0.25f, 0.001f, -0.375f};
        int[] m = new int[w.length];
        int e = Quantiser.mantissas(CHIP, "l", w, 128 * 127, m);
        assertEquals(0, e);
        assertArrayEquals(new int[]{127, -63, 32, 0, -48}, m); // -63.5 rounds half up to -63; 31.75 -> 32
        // ten times smaller: 2^(7+e) >= 12.8 -> e = -3 (step 16): 1625.6/16 = 101.6 -> 102
        e = Quantiser.mantissas(CHIP, "l", w, 12.8 * 127, m);
        assertEquals(-3, e);
        assertArrayEquals(new int[]{102, -51, 25, 0, -38}, m);
        // bias: 12-bit mantissa, exponent 0..7: 10000 needs 2^e >= 10000/4095 -> e = 2
        int[] bm = new int[3];
        assertEquals(2, Quantiser.biasMantissas(CHIP, "l", new double[]{10000, -3, 4095}, bm));
        assertArrayEquals(new int[]{2500, -1, 1024}, bm); // -0.75 rounds to -1
        assertThrows(IllegalArgumentException.class,
                () -> Quantiser.mantissas(CHIP, "huge", new float[]{1f}, 127.0 * (1 << 15), new int[1]));
    }

    @Test
    void quantisedLayersRespectTheFormats() {
        Bundle b = EmulatorFixtures.convNet(EmulatorFixtures.images(20, 1), 2.0);
        for (InputCoding c : new InputCoding[]{InputCoding.CURRENT, InputCoding.REGULAR}) {
            QuantisedNetwork q = Quantiser.quantise(b, CHIP, EmulatorFixtures.options(0.2, "lowpass:0.005", c));
            assertEquals(c == InputCoding.CURRENT ? 2 : 3, q.layers().size());
            for (QuantisedLayer l : q.layers()) {
                int max = 0;
                for (int v : l.weightMantissas()) {
                    max = Math.max(max, Math.abs(v));
                }
                assertTrue(max > 63 && max <= 127, l.name() + " uses the 8-bit mantissa range: " + max);
                assertTrue(l.weightExp() >= -7 && l.weightExp() <= 7);
                for (int v : l.biasMantissas()) {
                    assertTrue(Math.abs(v) <= 4095);
                }
                if (l.spiking()) {
                    assertTrue(l.thresholdMantissa() > 0 && l.thresholdMantissa() < (1 << 17));
                    assertEquals(182, l.decayV());
                    assertEquals(3, l.refractoryDelay());
                }
            }
        }
    }

    @Test
    void storedParametersRoundTripAndStaleOnesAreRejected(@TempDir Path dir) throws Exception {
        Bundle b = EmulatorFixtures.convNet(EmulatorFixtures.images(20, 1), 2.0);
        SimOptions opt = EmulatorFixtures.options(0.2, "lowpass:0.005", InputCoding.CURRENT);
        QuantisedNetwork q = Quantiser.quantise(b, CHIP, opt);
        Bundle stored = Quantiser.store(b, q);
        Path f = dir.resolve("q.lifb");
        stored.write(f, false);
        Bundle read = Bundle.read(f);
        assertTrue(read.manifest().calibration().has("emulator"));
        QuantisedNetwork loaded = QuantisedNetwork.load(read, CHIP, opt);
        assertTrue(loaded.stored());
        for (int k = 0; k < q.layers().size(); k++) {
            assertArrayEquals(q.layers().get(k).weightMantissas(), loaded.layers().get(k).weightMantissas());
            assertArrayEquals(q.layers().get(k).biasMantissas(), loaded.layers().get(k).biasMantissas());
            assertEquals(q.layers().get(k).thresholdMantissa(), loaded.layers().get(k).thresholdMantissa());
        }
        // storing again replaces the section, keeps other calibration keys
        assertEquals(read.tensors().size(), Quantiser.store(read, loaded).tensors().size());
        // other options than stored: quantised at load, not an error
        assertFalse(QuantisedNetwork.load(read, CHIP, opt.withDt(0.0005)).stored());
        // absent: quantised at load
        assertFalse(QuantisedNetwork.load(b, CHIP, opt).stored());

        // border-divisor pools: the extra weight copies are stored and read back
        Bundle border = EmulatorFixtures.borderPoolNet(EmulatorFixtures.images(20, 1), 0.35);
        QuantisedNetwork qb = Quantiser.quantise(border, CHIP, opt);
        Path fb = dir.resolve("border.lifb");
        Quantiser.store(border, qb).write(fb, false);
        QuantisedNetwork lb = QuantisedNetwork.load(Bundle.read(fb), CHIP, opt);
        assertTrue(lb.stored());
        for (int k = 0; k < qb.layers().size(); k++) {
            QuantisedLayer a = qb.layers().get(k), c = lb.layers().get(k);
            assertEquals(a.weightCopies(), c.weightCopies());
            for (int j = 0; j < a.weightCopies(); j++) {
                assertArrayEquals(a.weightMantissas(j), c.weightMantissas(j));
                assertEquals(a.weightExp(j), c.weightExp(j));
            }
        }
        assertEquals(3, lb.layers().get(0).weightCopies(), "conv2 behind pool1 (first layer on the host)");

        // retrained: dense1 weights changed after calibration
        Map<String, Tensor> t = new LinkedHashMap<>(read.tensors());
        float[] w = read.tensor("dense1.W").floats().clone();
        w[3] += 0.01f;
        t.put("dense1.W", Tensor.ofFloat32(read.tensor("dense1.W").shape(), w));
        Bundle retrained = new Bundle(read.manifest().withTensors(null), t);
        var e = assertThrows(IllegalArgumentException.class, () -> QuantisedNetwork.load(retrained, CHIP, opt));
        assertTrue(e.getMessage().contains("stale") && e.getMessage().contains("re-run lifvision-calibrate"),
                e.getMessage());
    }
}
