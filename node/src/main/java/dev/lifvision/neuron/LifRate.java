package dev.lifvision.neuron;

/**
 * Steady-state firing rates of the normalised LIF neuron (threshold 1, reset 0) and its soft
 * variant, with derivatives. All functions take the input current {@code j} (not the
 * pre-activation): a layer computes {@code j = gain * (W x + b) + biasOffset}.
 *
 * <p>The hard rate is {@code r(j) = 1 / (tauRef + tauRc * log(1 + 1/(j - 1)))} for j > 1, else
 * exactly 0. The soft rate replaces {@code max(j - 1, 0)} with
 * {@code gamma * log(1 + exp((j - 1)/gamma))} (Hunsberger & Eliasmith 2015), which keeps the
 * derivative bounded. Everything is computed in double and in forms that neither overflow for
 * large inputs nor produce NaN for tiny ones; the trainer must reproduce these to 1e-5.
 */
public final class LifRate {
    private LifRate() {
    }

    /** Hard LIF rate in Hz; exactly 0 at or below threshold. */
    public static double rate(double j, double tauRc, double tauRef) {
        double p = j - 1.0;
        return p > 0.0 ? 1.0 / (tauRef + tauRc * Math.log1p(1.0 / p)) : 0.0;
    }

    /** d rate / d j of the hard LIF; 0 at or below threshold (unbounded just above it). */
    public static double rateDerivative(double j, double tauRc, double tauRef) {
        double p = j - 1.0;
        if (p <= 0.0) {
            return 0.0;
        }
        double r = 1.0 / (tauRef + tauRc * Math.log1p(1.0 / p));
        return r * r * tauRc / (p * (p + 1.0));
    }

    /** {@code gamma * softplus(x / gamma)}, stable for any x: max(z,0) + log1p(exp(-|z|)). */
    public static double smoothRectify(double x, double gamma) {
        double z = x / gamma;
        return gamma * (Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z))));
    }

    /** Soft LIF rate in Hz. Tends to {@link #rate} as gamma goes to 0. */
    public static double softRate(double j, double tauRc, double tauRef, double gamma) {
        if (gamma <= 0.0) {
            return rate(j, tauRc, tauRef);
        }
        double p = smoothRectify(j - 1.0, gamma);
        return p > 0.0 ? 1.0 / (tauRef + tauRc * Math.log1p(1.0 / p)) : 0.0;
    }

    /**
     * d softRate / d j = r^2 * tauRc / (p (p + 1)) * sigmoid(z), z = (j - 1)/gamma. For very negative
     * z both sigmoid(z) and p vanish; their ratio tends to 1/gamma, used directly to avoid 0/0.
     */
    public static double softRateDerivative(double j, double tauRc, double tauRef, double gamma) {
        if (gamma <= 0.0) {
            return rateDerivative(j, tauRc, tauRef);
        }
        double z = (j - 1.0) / gamma;
        double p = smoothRectify(j - 1.0, gamma);
        if (p <= 0.0) {
            return 0.0;
        }
        double r = 1.0 / (tauRef + tauRc * Math.log1p(1.0 / p));
        double sigmoidOverP = z < -30.0 ? 1.0 / gamma : sigmoid(z) / p;
        return r * r * tauRc * sigmoidOverP / (p + 1.0);
    }

    static double sigmoid(double z) {
        if (z >= 0.0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }
}
