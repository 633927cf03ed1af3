package dev.lifvision.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.neuron.NeuronModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SoftLifActivationTest {

    private static INDArray grid() {
        float[] x = new float[2001];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (-3.0 + 13.0 * i / 2000.0);
        }
        return Nd4j.createFromArray(x);
    }

    private static void checkAgainstNode(NeuronSpec spec) {
        NeuronModel node = NeuronModel.of(spec);
        SoftLifActivation act = SoftLifActivation.of(spec, 0.0);
        INDArray x = grid();
        INDArray out = act.getActivation(x.dup(), false);
        INDArray grad = act.backprop(x.dup(), Nd4j.ones(DataType.FLOAT, x.length())).getFirst();
        assertEquals(DataType.FLOAT, out.dataType());
        double maxAbs = 0, maxRel = 0;
        for (int i = 0; i < x.length(); i++) {
            double xi = x.getDouble(i);
            double want = node.activation(xi);
            double got = out.getDouble(i);
            maxAbs = Math.max(maxAbs, Math.abs(got - want));
            assertEquals(want, got, 1e-5, "activation at x=" + xi);
            double dWant = node.derivative(xi);
            double dGot = grad.getDouble(i);
            double err = Math.abs(dGot - dWant);
            maxRel = Math.max(maxRel, err / Math.max(1.0, Math.abs(dWant)));
            assertTrue(err <= 1e-5 * Math.max(1.0, Math.abs(dWant)),
                    "derivative at x=" + xi + ": got " + dGot + ", node " + dWant);
        }
        System.out.printf("%s: max |act err| %.3g, max deriv err (rel-or-abs) %.3g%n", spec, maxAbs, maxRel);
    }

    @Test
    void matchesNodeMnist() {
        checkAgainstNode(NeuronSpec.mnist());
    }

    @Test
    void matchesNodeCifar() {
        checkAgainstNode(NeuronSpec.cifar());
    }

    @Test
    void farTailMatchesNode() {
        // the node's double rate is ~1/|z| far below threshold and exactly 0 only once its p underflows (z < ~-708)
        NeuronModel node = NeuronModel.of(NeuronSpec.mnist());
        SoftLifActivation act = SoftLifActivation.of(NeuronSpec.mnist(), 0.0);
        INDArray x = Nd4j.createFromArray(-100f, -20f, -14.3f, -14.1f, -10f, -5f, -0.5f);
        INDArray out = act.getActivation(x.dup(), false);
        INDArray grad = act.backprop(x.dup(), Nd4j.ones(DataType.FLOAT, x.length())).getFirst();
        for (int i = 0; i < x.length(); i++) {
            double xi = x.getDouble(i);
            assertEquals(node.activation(xi), out.getDouble(i), 1e-6, "x=" + xi);
            assertEquals(node.derivative(xi), grad.getDouble(i), 1e-6, "x=" + xi);
        }
        assertEquals(0.0, out.getDouble(0));
        assertTrue(out.getDouble(3) > 0.0);
    }

    @Test
    void hardLifMatchesNode() {
        NeuronSpec spec = NeuronSpec.lif(0.022, 0.002, 1.0, 0.063);
        NeuronModel node = NeuronModel.of(spec);
        SoftLifActivation act = SoftLifActivation.of(spec, 0.0);
        INDArray x = grid().castTo(DataType.DOUBLE);
        INDArray out = act.getActivation(x.dup(), false);
        INDArray grad = act.backprop(x.dup(), Nd4j.ones(DataType.DOUBLE, x.length())).getFirst();
        for (int i = 0; i < x.length(); i++) {
            double xi = x.getDouble(i);
            assertEquals(node.activation(xi), out.getDouble(i), 1e-9, "x=" + xi);
            double d = node.derivative(xi);
            assertEquals(d, grad.getDouble(i), 1e-9 * Math.max(1, Math.abs(d)), "x=" + xi);
        }
    }

    @Test
    void trainingNoiseOnlyOnFiringUnits() {
        Nd4j.getRandom().setSeed(42);
        SoftLifActivation act = SoftLifActivation.of(NeuronSpec.mnist(), 10.0);
        // x in [-3, 10]; use units well above threshold for the std so the clip at 0 is rare
        INDArray x = Nd4j.rand(DataType.FLOAT, 200, 500).muli(13.0).subi(3.0);
        INDArray clean = act.getActivation(x.dup(), false);
        INDArray noisy = act.getActivation(x.dup(), true);
        INDArray again = act.getActivation(x.dup(), false);
        assertEquals(clean, again, "no noise in test mode");
        double std = act.getAmplitude() * act.getSigma();
        List<Double> diffs = new ArrayList<>();
        for (long i = 0; i < x.length(); i++) {
            double xi = x.getDouble(i), c = clean.getDouble(i), n = noisy.getDouble(i);
            assertTrue(n >= 0.0, "output clipped at 0");
            if (xi <= 0.0) {
                assertEquals(c, n, 0.0, "no noise below threshold, x=" + xi);
            } else if (c > 5 * std) {
                diffs.add(n - c);
            }
        }
        double mean = diffs.stream().mapToDouble(d -> d).average().orElseThrow();
        double var = diffs.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / (diffs.size() - 1);
        System.out.printf("noise: n=%d mean %.4f std %.4f (want %.4f)%n", diffs.size(), mean, Math.sqrt(var), std);
        assertTrue(diffs.size() > 10_000);
        assertEquals(std, Math.sqrt(var), 0.05 * std);
        assertEquals(0.0, mean, 0.05 * std);
    }

    /** The closed form against a regular spike train pushed through the filter's ODEs in small steps. */
    @Test
    void filteredSpikeTrainMatchesADirectSimulation() {
        double tau = 0.005, dt = 1e-6;
        for (boolean alpha : new boolean[] {false, true}) {
            for (double rate : new double[] {3.0, 20.0, 150.0, 900.0}) {
                double period = 1.0 / rate;
                int steps = (int) Math.round(period / dt);
                double s1 = 0, s2 = 0; // low-pass, and alpha as two low-pass stages in cascade
                double mean = 0;
                int warm = (int) Math.ceil(40 * tau / period) + 1;
                for (int k = 0; k <= warm; k++) {
                    s1 += 1.0 / tau; // a spike of unit area
                    for (int i = 0; i < steps; i++) {
                        double u = (double) i / steps;
                        if (k == warm && i % Math.max(1, steps / 50) == 0) {
                            double want = alpha ? s2 : s1;
                            double got = SoftLifActivation.filteredSpikeTrain(rate, u, tau, alpha);
                            assertEquals(want, got, 2e-3 * Math.max(want, rate), "rate " + rate + " u " + u + " alpha " + alpha);
                        }
                        if (k == warm) {
                            mean += SoftLifActivation.filteredSpikeTrain(rate, u, tau, alpha) / steps;
                        }
                        double d1 = -s1 / tau, d2 = (s1 - s2) / tau;
                        s1 += dt * d1;
                        s2 += dt * d2;
                    }
                }
                assertEquals(rate, mean, 1e-3 * rate, "mean over the interval is the rate");
            }
        }
        assertEquals(0.0, SoftLifActivation.filteredSpikeTrain(0.0, 0.5, tau, true), 0.0);
    }

    @Test
    void spikeTrainNoiseIsUnbiasedAndLargeAtLowRates() {
        Nd4j.getRandom().setSeed(7);
        SoftLifActivation act = SoftLifActivation.of(NeuronSpec.cifar(), 10.0, "spikes:alpha:0.005");
        int n = 40_000;
        for (double x : new double[] {-1.0, 0.2, 5.0}) {
            INDArray in = Nd4j.valueArrayOf(new long[] {n}, (float) x);
            double clean = act.getActivation(in.dup(), false).getDouble(0);
            INDArray noisy = act.getActivation(in.dup(), true);
            double mean = noisy.meanNumber().doubleValue();
            double std = noisy.stdNumber().doubleValue();
            assertTrue(noisy.minNumber().doubleValue() >= 0.0);
            System.out.printf("x %.1f: clean %.4f, noisy mean %.4f std %.4f%n", x, clean, mean, std);
            if (x < 0) {
                assertEquals(0.0, std, 0.0, "no noise below threshold");
                continue;
            }
            assertEquals(clean, mean, 0.03 * clean, "zero-mean noise at x=" + x);
            double rate = clean / act.getAmplitude();
            double expectStd = x < 1 ? 0.8 * clean : 0.05 * clean; // a slow unit sees sparse pulses, a fast one a ripple
            assertTrue(x < 1 ? std > expectStd : std < 0.5 * clean && std > expectStd,
                    "std " + std + " at rate " + rate + " Hz");
        }
        assertEquals(act, act.withSigma(10.0));
        assertEquals("spikes:alpha:0.005", act.withSigma(3.0).getNoise());
    }
}
