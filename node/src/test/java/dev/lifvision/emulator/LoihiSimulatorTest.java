package dev.lifvision.emulator;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.network.Backends;
import dev.lifvision.network.FrameResult;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import dev.lifvision.network.Simulator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LoihiSimulatorTest {

    /** Spikes per population summed over the images, float and integer backends side by side. */
    private static long[][] spikes(Network net, SimOptions opt, float[][] x) {
        long[][] s = new long[2][net.stageCount()];
        String[] names = {"spiking", "loihi"};
        for (int b = 0; b < 2; b++) {
            Simulator sim = Backends.create(names[b], net, opt);
            FrameResult r = sim.newResult();
            for (float[] img : x) {
                sim.present(img, r);
                for (int k = 0; k < s[b].length; k++) {
                    s[b][k] += r.spikes[k];
                }
            }
        }
        return s;
    }

    @Test
    void floatAndIntegerSpikeCountsAgreeAtModerateRates() {
        float[][] x = EmulatorFixtures.images(12, 4);
        Network net = Network.of(EmulatorFixtures.convNet(x, 0.35));
        for (InputCoding c : new InputCoding[]{InputCoding.CURRENT, InputCoding.REGULAR}) {
            SimOptions opt = EmulatorFixtures.options(0.5, "lowpass:0.005", c);
            long[][] s = spikes(net, opt, x);
            for (int k = 0; k < net.stageCount() - 1; k++) {
                double rate = s[0][k] / (double) x.length / net.stage(k).size() / opt.presentation();
                double rel = Math.abs(s[1][k] - s[0][k]) / (double) s[0][k];
                System.err.printf("%s %s: float %d, integer %d spikes (%.1f Hz mean), %.2f %%%n", c,
                        net.stage(k).name(), s[0][k], s[1][k], rate, 100 * rel);
                assertTrue(rate > 5 && rate < 100, "moderate rates: " + rate + " Hz");
                assertTrue(rel < 0.02, c + " " + net.stage(k).name() + ": float " + s[0][k] + " vs integer " + s[1][k]);
            }
            assertEquals(0, LoihiBackend.quantised(net, opt).totalOverflows());
        }
    }

    @Test
    void poolsWithBorderDivisorsRunOnTheirOwnWeightCopies() {
        float[][] x = EmulatorFixtures.images(12, 6);
        Network net = Network.of(EmulatorFixtures.borderPoolNet(x, 0.35));
        SimOptions opt = EmulatorFixtures.options(0.5, "lowpass:0.005", InputCoding.REGULAR);
        QuantisedNetwork q = LoihiBackend.quantised(net, opt);
        QuantisedLayer conv2 = q.layers().get(1);
        assertEquals(3, conv2.weightCopies(), "interior, edge and corner copies");
        assertArrayEquals(new int[]{9, 6, 4}, new int[]{conv2.divisor(0), conv2.divisor(1), conv2.divisor(2)});
        // each copy is the same float kernel at its own divisor: mantissa x 2^exp proportional to 1/divisor
        int[] m0 = conv2.weightMantissas(0), m2 = conv2.weightMantissas(2);
        int big = 0;
        for (int i = 1; i < m0.length; i++) {
            big = Math.abs(m0[i]) > Math.abs(m0[big]) ? i : big;
        }
        double ratio = m2[big] * Math.pow(2, conv2.weightExp(2)) / (m0[big] * Math.pow(2, conv2.weightExp(0)));
        assertEquals(9.0 / 4, ratio, 0.05, "corner copy vs interior copy");
        // and the integer run agrees with the float one, which divides by the in-bounds count
        long[][] s = spikes(net, opt, x);
        for (int k = 0; k < net.stageCount() - 1; k++) {
            double rate = s[0][k] / (double) x.length / net.stage(k).size() / opt.presentation();
            double rel = Math.abs(s[1][k] - s[0][k]) / (double) s[0][k];
            System.err.printf("border pools %s: float %d, integer %d spikes (%.1f Hz mean), %.2f %%%n",
                    net.stage(k).name(), s[0][k], s[1][k], rate, 100 * rel);
            assertTrue(rate > 5 && rate < 100, "moderate rates: " + rate + " Hz");
            assertTrue(rel < 0.02, net.stage(k).name() + ": float " + s[0][k] + " vs integer " + s[1][k]);
        }
        assertEquals(0, q.totalOverflows());
        // the mapper charges a shared-kernel core for all three copies
        ResourceReport r = CoreMapper.map(q);
        assertEquals(3 * 3 * 3 * 6 * r.layers().get(1).tile()[2] * 8, r.layers().get(1).synapseBits());
    }

    @Test
    void aBorderDivisorPoolBehindAnotherPoolIsRejected() {
        float[][] x = EmulatorFixtures.images(2, 6);
        var b = EmulatorFixtures.borderPoolNet(x, 0.35);
        var layers = new java.util.ArrayList<>(b.manifest().layers());
        // pool1 straight into pool2: pool1's border divisors would mix inside pool2's cells
        var c2 = layers.remove(2);
        var p2 = EmulatorFixtures.paddedPool("pool2", layers.get(1).outShape());
        layers.set(2, p2);
        var out = dev.lifvision.bundle.LayerSpec.dense("out", p2.outShape(), 10,
                dev.lifvision.bundle.NeuronSpec.linear());
        layers.set(3, out);
        var e = assertThrows(IllegalArgumentException.class, () -> StagePlan.of(
                dev.lifvision.network.RandomNetworks.build("two-pools", EmulatorFixtures.IN12, layers,
                        dev.lifvision.network.RandomNetworks.digits(), 1, x, 0.35)));
        assertTrue(e.getMessage().contains("layer pool1") && e.getMessage().contains("pool2"), e.getMessage());
        assertNotNull(c2);
    }

    @Test
    void sameReadoutModesAndCountersAsTheFloatBackend() {
        float[][] x = EmulatorFixtures.images(6, 5);
        Network net = Network.of(EmulatorFixtures.convNet(x, 2.0));
        SimOptions opt = EmulatorFixtures.options(0.3, "lowpass:0.005", InputCoding.CURRENT);
        Simulator f = Backends.create("spiking", net, opt), e = Backends.create("loihi", net, opt);
        FrameResult fr = f.newResult(), er = e.newResult();
        int agree = 0;
        for (float[] img : x) {
            f.present(img, fr);
            e.present(img, er);
            assertEquals(fr.steps, er.steps);
            assertEquals(fr.readoutSteps, er.readoutSteps);
            assertEquals(fr.neuronUpdates, er.neuronUpdates, "one update per neuron per step, host layer included");
            assertEquals(fr.spikes[0], er.spikes[0], "the host layer is the float layer");
            assertEquals(0, er.spikes[net.stageCount() - 1]);
            assertTrue(er.synapticEvents > 0);
            agree += fr.argmax() == er.argmax() ? 1 : 0;
        }
        assertTrue(agree >= 5, "argmax agrees on " + agree + "/6");
        // reset mode: the same frame twice gives the same answer; continuous mode carries state over
        e.present(x[0], er);
        float first = er.output[0];
        e.present(x[0], er);
        assertEquals(first, er.output[0]);
        Simulator c = Backends.create("loihi", net, opt.withContinuous(true));
        FrameResult cr = c.newResult();
        c.present(x[1], cr);
        c.present(x[0], cr);
        assertNotEquals(first, cr.output[0], "continuous mode starts the second frame from the first's state");
    }

    @Test
    void layerBeyondTheAxonLimitIsRejectedWithTheLimitNamed() {
        Bundle b = EmulatorFixtures.wideDense(5000);
        SimOptions spikes = EmulatorFixtures.options(0.2, "lowpass:0.005", InputCoding.REGULAR);
        var e = assertThrows(IllegalArgumentException.class, () -> CoreMapper.map(b, ChipProfile.LOIHI, spikes));
        assertTrue(e.getMessage().contains("layer wide") && e.getMessage().contains("4096 input axons"), e.getMessage());
        // fits: 4000 inputs
        ResourceReport r = CoreMapper.map(EmulatorFixtures.wideDense(4000), ChipProfile.LOIHI, spikes);
        assertEquals(4000, r.layers().get(0).inputAxonsPerCore());
    }

    @Test
    void mappingReportCountsCoresMemoryAndChips() {
        Bundle b = EmulatorFixtures.convNet(EmulatorFixtures.images(4, 1), 2.0);
        SimOptions spikes = EmulatorFixtures.options(0.2, "lowpass:0.005", InputCoding.REGULAR);
        ResourceReport r = CoreMapper.map(b, ChipProfile.LOIHI, spikes);
        assertEquals(3, r.layers().size());
        ResourceReport.Layer conv = r.layers().get(0);
        assertEquals(12 * 12 * 6, conv.neurons());
        assertEquals(3 * 3 * 1 * conv.tile()[2] * 8, conv.synapseBits(), "shared kernel stored once per core");
        ResourceReport.Layer dense = r.layers().get(1);
        assertEquals(6 * 6 * 6, dense.inputAxonsPerCore(), "the pool is routing: one axon per pooled cell");
        assertEquals(1, r.chips());
        assertTrue(r.toText().contains("total: "));
        assertTrue(r.toJson().contains("\"chips\" : 1"));
        // with the first layer on the host the conv layer is off chip
        ResourceReport host = CoreMapper.map(b, ChipProfile.LOIHI,
                EmulatorFixtures.options(0.2, "lowpass:0.005", InputCoding.CURRENT));
        assertEquals(2, host.layers().size());
        assertTrue(host.offChip().contains("conv1"));
    }
}
