package dev.lifvision.network;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.InputSpec;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.encode.InputCoding;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

public class SpikingSimulatorTest {
    static final NeuronSpec LIF = NeuronSpec.lif(0.022, 0.002, 1.0, 0.063);
    static final InputSpec IN = new InputSpec(12, 12, 1, "gray", "stretch", 1.0 / 255, 0, null);

    /** Blob images, 12x12 in [0, 1]; the emulator's tests use the same ones. */
    public static float[][] images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][144];
        for (float[] img : x) {
            // blobs: smooth-ish random images in [0, 1]
            int cy = r.nextInt(12), cx = r.nextInt(12);
            for (int i = 0; i < 144; i++) {
                double d = Math.hypot(i / 12 - cy, i % 12 - cx);
                img[i] = (float) Math.max(0, 1 - d / 5 + 0.2 * r.nextDouble());
            }
        }
        return x;
    }

    static Network convPoolNet(float[][] samples) {
        LayerSpec c1 = LayerSpec.conv2d("conv1", new int[]{12, 12, 1}, 6, 3, 3, 1, 1, 1, 1, LIF);
        LayerSpec p1 = LayerSpec.avgpool("pool1", c1.outShape(), 2, 2, 0);
        LayerSpec l1 = LayerSpec.locallyConnected("local1", p1.outShape(), 4, 3, 3, 1, 1, 1, 1, LIF);
        LayerSpec d1 = LayerSpec.dense("dense1", l1.outShape(), 40, LIF);
        LayerSpec out = LayerSpec.dense("out", d1.outShape(), 10, NeuronSpec.linear());
        Bundle b = RandomNetworks.build("test", IN, List.of(c1, p1, l1, d1, out), RandomNetworks.digits(), 7, samples, 2.0);
        return Network.of(b);
    }

    static SimOptions options(double presentation, String synapse) {
        return new SimOptions(0.001, presentation, presentation * 0.3, presentation, SynapseSpec.parse(synapse), false,
                InputCoding.CURRENT, 250, 1);
    }

    @Test
    void spikingOutputConvergesToRateOutput() {
        float[][] x = images(40, 1);
        Network net = convPoolNet(x);
        Simulator rate = Backends.create("rate", net, options(1, "lowpass:0.005"));
        Simulator spk = Backends.create("spiking", net, options(1, "lowpass:0.005"));
        FrameResult rr = rate.newResult(), sr = spk.newResult();
        int agree = 0;
        double se = 0, ss = 0;
        for (float[] img : x) {
            rate.present(img, rr);
            spk.present(img, sr);
            if (rr.argmax() == sr.argmax()) {
                agree++;
            }
            for (int i = 0; i < 10; i++) {
                se += Math.pow(rr.output[i] - sr.output[i], 2);
                ss += Math.pow(rr.output[i], 2);
            }
            assertTrue(sr.spikes[0] > 0 && sr.spikes[1] > 0 && sr.spikes[2] > 0, "every population spikes");
            assertEquals(1000, sr.steps);
            assertEquals(700, sr.readoutSteps);
        }
        double relErr = Math.sqrt(se / ss);
        assertTrue(relErr < 0.1, "relative RMS difference spiking vs rate " + relErr);
        assertTrue(agree >= 36, "argmax agrees on " + agree + "/40");
    }

    @Test
    void everySynapseAndInputCodingApproximatesTheRateNetwork() {
        float[][] x = images(20, 2);
        Network net = convPoolNet(x);
        Simulator rate = Backends.create("rate", net, options(1, "none"));
        FrameResult rr = rate.newResult();
        for (String syn : new String[]{"none", "lowpass:0.005", "alpha:0.005"}) {
            for (InputCoding coding : InputCoding.values()) {
                SimOptions opt = options(1, syn).withCoding(coding, 500);
                Simulator spk = Backends.create("spiking", net, opt);
                FrameResult sr = spk.newResult();
                double se = 0, ss = 0;
                for (float[] img : x) {
                    rate.present(img, rr);
                    spk.present(img, sr);
                    for (int i = 0; i < 10; i++) {
                        se += Math.pow(rr.output[i] - sr.output[i], 2);
                        ss += Math.pow(rr.output[i], 2);
                    }
                }
                double rel = Math.sqrt(se / ss);
                System.err.printf("%s %s relative error %.3f%n", syn, coding, rel);
                assertTrue(rel < (coding == InputCoding.POISSON || syn.equals("none") ? 0.3 : 0.2), syn + " " + coding + ": relative error " + rel);
            }
        }
    }

    @Test
    void denseEventsAreSpikesTimesFanOut() {
        float[][] x = images(5, 3);
        LayerSpec d1 = LayerSpec.dense("d1", new int[]{12, 12, 1}, 30, LIF);
        LayerSpec d2 = LayerSpec.dense("d2", d1.outShape(), 10, NeuronSpec.linear());
        Network net = Network.of(RandomNetworks.build("d", IN, List.of(d1, d2), RandomNetworks.digits(), 1, x, 3));
        Simulator spk = Backends.create("spiking", net, options(0.2, "lowpass:0.005"));
        FrameResult r = spk.newResult();
        spk.present(x[0], r);
        assertTrue(r.spikes[0] > 0);
        assertEquals(r.spikes[0] * 10, r.synapticEvents, "constant-current input has no events; each d1 spike reaches 10 outputs");
        assertEquals(200L * 40, r.neuronUpdates);
        assertEquals(0, r.spikes[1]);
    }

    @Test
    void continuousModeCarriesStateAndResetModeDoesNot() {
        float[][] x = images(3, 4);
        Network net = convPoolNet(x);
        SimOptions reset = options(0.05, "alpha:0.005");
        Simulator a = Backends.create("spiking", net, reset);
        Simulator b = Backends.create("spiking", net, reset.withContinuous(true));
        FrameResult ra = a.newResult(), rb = b.newResult();
        a.present(x[0], ra);
        b.present(x[0], rb);
        assertArrayEquals(ra.output, rb.output, "first frame from rest is identical");
        a.present(x[1], ra);
        float[] afterReset = ra.output.clone();
        b.present(x[1], rb);
        assertFalse(java.util.Arrays.equals(afterReset, rb.output), "continuous mode starts frame 2 from frame 1's state");
        Simulator c = Backends.create("spiking", net, reset);
        FrameResult rc = c.newResult();
        c.present(x[1], rc);
        assertArrayEquals(afterReset, rc.output, "reset mode: a frame's result does not depend on the previous frame");
    }

    @Test
    void presentAllocatesNothingPerStep() throws Exception {
        // in a JVM of its own, as the node runs (see AllocationCheck for why not in this one)
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                AllocationCheck.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.matches("[A-Z]+(\\+rule)? \\d+")).toList();
        assertEquals(2 * InputCoding.values().length, lines.size(), out);
        for (String l : lines) {
            // 10 frames x 200 steps: anything per step would show as >= 2000 allocations
            assertTrue(Long.parseLong(l.split(" ")[1]) < 2048, l + " bytes allocated over 2000 steps");
        }
    }

    @Test
    void shortPresentationUsesSecondHalfAndReportsSteps() {
        SimOptions o = options(0.2, "none").withPresentation(0.06).withReadout(0.1, 0.2);
        assertEquals(60, o.steps());
        assertEquals(30, o.readoutFirstStep());
        assertEquals(59, o.readoutLastStep());
        SimOptions p = options(0.2, "none").withReadout(0.1, 0.2);
        assertEquals(100, p.readoutSteps());
        assertEquals(100, p.readoutFirstStep());
    }

    @Test
    void linearHiddenLayerIsRejectedBySpikingBackendWithItsName() {
        float[][] x = images(3, 6);
        LayerSpec d1 = LayerSpec.dense("hidden", new int[]{12, 12, 1}, 8, NeuronSpec.linear());
        LayerSpec d2 = LayerSpec.dense("out", d1.outShape(), 10, NeuronSpec.linear());
        Network net = Network.of(RandomNetworks.build("lin", IN, List.of(d1, d2), RandomNetworks.digits(), 1, x, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> Backends.create("spiking", net, options(0.1, "none")));
        assertTrue(e.getMessage().contains("hidden"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backends.create("tpu", net, options(0.1, "none")));
    }
}
