package dev.lifvision.neuron;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class LifNeuronTest {
    /** MNIST and CIFAR constant sets of the reference: tau_rc, tau_ref. */
    static Stream<Arguments> spikeCases() {
        double[][] constants = {{0.022, 0.002}, {0.05, 0.001}};
        double[] currents = {1.05, 1.5, 2, 3, 5, 10};
        Stream.Builder<Arguments> b = Stream.builder();
        for (double[] c : constants) {
            for (double j : currents) {
                b.add(Arguments.of(c[0], c[1], j));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "tau_rc {0}, tau_ref {1}, j {2}")
    @MethodSource("spikeCases")
    void spikeCountOverOneSecondMatchesRateWithinOneSpike(double tauRc, double tauRef, double j) {
        double dt = 0.001;
        // gain 1, bias offset 0: the pre-activation is the current itself
        SpikingLif lif = new SpikingLif(1, dt, tauRc, tauRef, 1.0, 0.0, 1.0);
        float[] x = {(float) j};
        int[] spikes = new int[1];
        int count = 0;
        for (int t = 0; t < 1000; t++) {
            count += lif.step(x, spikes);
        }
        double expected = LifRate.rate(j, tauRc, tauRef);
        assertTrue(expected > 0);
        assertEquals(expected, count, 1.0, "spikes in 1 s at j=" + j);
    }

    @Test
    void rateIsExactlyZeroAtAndBelowThreshold() {
        assertEquals(0.0, LifRate.rate(1.0, 0.02, 0.002));
        assertEquals(0.0, LifRate.rate(0.3, 0.02, 0.002));
        assertEquals(0.0, LifRate.rate(-1e30, 0.02, 0.002));
        SpikingLif lif = new SpikingLif(1, 0.001, 0.02, 0.002, 1, 0, 1);
        int[] s = new int[1];
        int count = 0;
        for (int t = 0; t < 5000; t++) {
            count += lif.step(new float[]{1.0f}, s);
        }
        assertEquals(0, count);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e3, 1e6, 1e30, Double.MAX_VALUE})
    void noOverflowForLargeInputs(double j) {
        double r = LifRate.softRate(j, 0.022, 0.002, 0.02);
        assertTrue(Double.isFinite(r) && r <= 1 / 0.002 + 1e-9, "soft rate " + r);
        assertTrue(Double.isFinite(LifRate.softRateDerivative(j, 0.022, 0.002, 0.02)));
        assertTrue(Double.isFinite(LifRate.rate(j, 0.022, 0.002)));
        assertTrue(Double.isFinite(LifRate.rateDerivative(j, 0.022, 0.002)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1e6, -50, -1, 0.5, 0.99, 1.0, 1.001, 1.02, 1.5, 3, 20})
    void softRateDerivativeMatchesFiniteDifferenceAndIsBounded(double j) {
        double h = 1e-6;
        double numeric = (LifRate.softRate(j + h, 0.022, 0.002, 0.02) - LifRate.softRate(j - h, 0.022, 0.002, 0.02)) / (2 * h);
        double analytic = LifRate.softRateDerivative(j, 0.022, 0.002, 0.02);
        assertTrue(Double.isFinite(analytic) && analytic >= 0);
        assertEquals(numeric, analytic, 1e-4 * Math.max(1, Math.abs(numeric)), "at j=" + j);
    }

    @Test
    void softLifTendsToLifAwayFromThresholdAndAsGammaShrinks() {
        for (double j : new double[]{0.5, 2, 5}) {
            double hard = LifRate.rate(j, 0.022, 0.002);
            assertEquals(hard, LifRate.softRate(j, 0.022, 0.002, 1e-4), 1e-3 * Math.max(1, hard));
        }
    }

    @Test
    void neuronModelAppliesGainBiasAndAmplitude() {
        NeuronModel m = new NeuronModel.SoftLif(0.05, 0.001, 0.825, 1.0, 0.063, 0.02);
        double x = 2.0;
        assertEquals(0.063 * LifRate.softRate(0.825 * x + 1, 0.05, 0.001, 0.02), m.activation(x), 1e-12);
        double h = 1e-6;
        assertEquals((m.activation(x + h) - m.activation(x - h)) / (2 * h), m.derivative(x), 1e-6);
        // soft LIF tracks ReLU with slope about 1 on [0, 10] for these constants
        assertEquals(10, new NeuronModel.SoftLif(0.05, 0.001, 0.825, 1, 0.063, 0.02).activation(10), 2.5);
    }

    @Test
    void refractoryPeriodCanEndMidStepSoRatesStayExactAtCoarseDt() {
        // at dt = 2 ms the period 1/r is not a whole number of steps; sub-step timing keeps the mean rate
        double j = 4;
        double dt = 0.002;
        SpikingLif lif = new SpikingLif(1, dt, 0.02, 0.002, 1, 0, 1);
        int[] s = new int[1];
        int count = 0;
        for (int t = 0; t < 5000; t++) {
            count += lif.step(new float[]{(float) j}, s);
        }
        assertEquals(LifRate.rate(j, 0.02, 0.002) * 10, count, 2.0);
    }

    @Test
    void fastLogIsAccurateOnTheSpikeTimeRange() {
        for (double z = 1e-6; z <= 1.0; z *= 1.01) {
            assertEquals(Math.log(z), SpikingLif.ln((float) z), 2e-6 * Math.max(1, Math.abs(Math.log(z))), "ln " + z);
        }
        assertEquals(0f, SpikingLif.ln(1f), 1e-7f);
    }

    @Test
    void coarseStepsUseTheExactPathAndStillMatchTheRate() {
        // dt / tau_rc = 0.3 > 0.25: exact exponentials; 10 s of simulated time
        SpikingLif lif = new SpikingLif(1, 0.006, 0.02, 0.002, 1, 0, 1);
        int[] s = new int[1];
        int count = 0;
        for (int t = 0; t < 1667; t++) {
            count += lif.step(new float[]{1.5f}, s);
        }
        assertEquals(LifRate.rate(1.5, 0.02, 0.002) * 1667 * 0.006, count, 2.0);
    }
}
