package dev.lifvision.calibration;

import dev.lifvision.bundle.SynapseSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * What calibration sweeps and how it chooses.
 *
 * @param tolerance          allowed error above the ANN's, as a fraction (0.003 = 0.3 %)
 * @param synapses           synapse settings to measure
 * @param maxTime            longest presentation measured, seconds
 * @param tpStepMs           presentation-time grid step, ms (grid: step, 2 step, ... maxTime)
 * @param tcStepMs           readout-start grid step, ms (grid: 0, step, ... below t_p)
 * @param rateScaling        also measure the rate-scaled variant and use it when it is faster
 * @param targetRateFraction rate scaling's target for the p99 firing rate, as a fraction of 1/tau_ref
 * @param maxScale           largest gain factor rate scaling may apply to a layer
 * @param threads            worker threads
 * @param marginSigmas       statistical margin: a setting qualifies only when its excess error over the ANN plus
 *                           this many standard errors of that excess (from the images where SNN and ANN disagree,
 *                           as in McNemar's test) is within the tolerance. Without it the shortest qualifying t_p
 *                           among dozens of settings is the luckiest one on this sample, and the test set shows it
 *                           (MNIST: chosen at ANN + 0.30 on 1,000 images, ANN + 0.44 on the test set).
 */
public record Settings(double tolerance, List<SynapseSpec> synapses, double maxTime, int tpStepMs, int tcStepMs,
                       boolean rateScaling, double targetRateFraction, double maxScale, int threads,
                       double marginSigmas) {

    public static final double DEFAULT_MARGIN_SIGMAS = 1.0;

    /** Without a statistical margin (tests on tiny sets that pin the choice exactly). */
    public Settings(double tolerance, List<SynapseSpec> synapses, double maxTime, int tpStepMs, int tcStepMs,
                    boolean rateScaling, double targetRateFraction, double maxScale, int threads) {
        this(tolerance, synapses, maxTime, tpStepMs, tcStepMs, rateScaling, targetRateFraction, maxScale, threads, 0);
    }

    public Settings {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be a fraction in [0, 1), got " + tolerance);
        }
        if (synapses == null || synapses.isEmpty()) {
            throw new IllegalArgumentException("at least one synapse setting is needed");
        }
        synapses = List.copyOf(synapses);
        if (!(maxTime > 0) || tpStepMs <= 0 || tcStepMs <= 0) {
            throw new IllegalArgumentException("time grid: max time and steps must be > 0");
        }
        if (!(marginSigmas >= 0 && marginSigmas <= 5)) {
            throw new IllegalArgumentException("margin must be in [0, 5] standard errors, got " + marginSigmas);
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** none, and lowpass and alpha at each tau (seconds). */
    public static List<SynapseSpec> synapses(double... taus) {
        List<SynapseSpec> l = new ArrayList<>();
        l.add(new SynapseSpec("none", 0));
        for (double t : taus) {
            l.add(new SynapseSpec("lowpass", t));
        }
        for (double t : taus) {
            l.add(new SynapseSpec("alpha", t));
        }
        return l;
    }

    public static Settings defaults(double tolerance, int threads) {
        return new Settings(tolerance, synapses(0.002, 0.005), 0.2, 10, 5, true, 0.4, 4.0, threads,
                DEFAULT_MARGIN_SIGMAS);
    }

    public Settings withSynapses(List<SynapseSpec> s) {
        return new Settings(tolerance, s, maxTime, tpStepMs, tcStepMs, rateScaling, targetRateFraction, maxScale, threads, marginSigmas);
    }

    public Settings withMaxTime(double t) {
        return new Settings(tolerance, synapses, t, tpStepMs, tcStepMs, rateScaling, targetRateFraction, maxScale, threads, marginSigmas);
    }

    public Settings withGrid(int tpMs, int tcMs) {
        return new Settings(tolerance, synapses, maxTime, tpMs, tcMs, rateScaling, targetRateFraction, maxScale, threads, marginSigmas);
    }

    public Settings withMargin(double sigmas) {
        return new Settings(tolerance, synapses, maxTime, tpStepMs, tcStepMs, rateScaling, targetRateFraction, maxScale,
                threads, sigmas);
    }

    public Settings withRateScaling(boolean on) {
        return new Settings(tolerance, synapses, maxTime, tpStepMs, tcStepMs, on, targetRateFraction, maxScale, threads, marginSigmas);
    }
}
