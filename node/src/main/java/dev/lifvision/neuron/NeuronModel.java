package dev.lifvision.neuron;

import dev.lifvision.bundle.NeuronSpec;

/**
 * The rate activation of one layer as the trainer and the {@code rate} backend see it: a
 * function of the pre-activation {@code x = W in + b}. For LIF types it is
 * {@code amplitude * r(gain * x + biasOffset)}, so activations stay O(1).
 */
public abstract sealed class NeuronModel permits NeuronModel.SoftLif, NeuronModel.Lif, NeuronModel.Relu,
        NeuronModel.Linear {

    /** Output of the rate neuron for pre-activation x. */
    public abstract double activation(double x);

    /** d activation / d x. */
    public abstract double derivative(double x);

    /** Applies {@link #activation} in place to {@code x[0..n)}. */
    public void activate(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] = (float) activation(x[i]);
        }
    }

    public static NeuronModel of(NeuronSpec spec) {
        return switch (spec.type()) {
            case "softlif" -> new SoftLif(spec.tauRc(), spec.tauRef(), spec.gain(), spec.biasOffset(),
                    spec.amplitude(), spec.gamma());
            case "lif" -> new Lif(spec.tauRc(), spec.tauRef(), spec.gain(), spec.biasOffset(), spec.amplitude());
            case "relu" -> new Relu();
            case "linear" -> new Linear();
            default -> throw new IllegalArgumentException("unknown neuron type '" + spec.type()
                    + "' (expected lif, softlif, relu or linear)");
        };
    }

    public static final class SoftLif extends NeuronModel {
        final double tauRc, tauRef, gain, biasOffset, amplitude, gamma;

        public SoftLif(double tauRc, double tauRef, double gain, double biasOffset, double amplitude, double gamma) {
            this.tauRc = tauRc;
            this.tauRef = tauRef;
            this.gain = gain;
            this.biasOffset = biasOffset;
            this.amplitude = amplitude;
            this.gamma = gamma;
        }

        @Override
        public double activation(double x) {
            return amplitude * LifRate.softRate(gain * x + biasOffset, tauRc, tauRef, gamma);
        }

        @Override
        public double derivative(double x) {
            return amplitude * gain * LifRate.softRateDerivative(gain * x + biasOffset, tauRc, tauRef, gamma);
        }
    }

    public static final class Lif extends NeuronModel {
        final double tauRc, tauRef, gain, biasOffset, amplitude;

        public Lif(double tauRc, double tauRef, double gain, double biasOffset, double amplitude) {
            this.tauRc = tauRc;
            this.tauRef = tauRef;
            this.gain = gain;
            this.biasOffset = biasOffset;
            this.amplitude = amplitude;
        }

        @Override
        public double activation(double x) {
            return amplitude * LifRate.rate(gain * x + biasOffset, tauRc, tauRef);
        }

        @Override
        public double derivative(double x) {
            return amplitude * gain * LifRate.rateDerivative(gain * x + biasOffset, tauRc, tauRef);
        }
    }

    public static final class Relu extends NeuronModel {
        @Override
        public double activation(double x) {
            return x > 0.0 ? x : 0.0;
        }

        @Override
        public double derivative(double x) {
            return x > 0.0 ? 1.0 : 0.0;
        }
    }

    public static final class Linear extends NeuronModel {
        @Override
        public double activation(double x) {
            return x;
        }

        @Override
        public double derivative(double x) {
            return 1.0;
        }

        @Override
        public void activate(float[] x, int n) {
        }
    }
}
