package dev.lifvision.bundle;

/**
 * The nonlinearity after a layer's affine map {@code z = W x + b}.
 * <ul>
 * <li>{@code lif}, {@code softlif}: input current {@code j = gain * z + biasOffset}; output {@code amplitude * r(j)}
 * where r is the LIF rate curve (softlif: smoothed by {@code gamma}) with membrane time constant {@code tauRc}
 * and refractory period {@code tauRef}, both in seconds. In simulation, a spiking LIF neuron with these parameters.</li>
 * <li>{@code relu}: {@code max(z, 0)}; {@code linear}: {@code z}. Their other parameters are ignored
 * (stored as gain 1, bias offset 0, amplitude 1).</li>
 * </ul>
 */
public record NeuronSpec(String type, double tauRc, double tauRef, double gain, double biasOffset, double amplitude,
                         double gamma) {

    public static NeuronSpec linear() {
        return new NeuronSpec("linear", 0, 0, 1, 0, 1, 0);
    }

    public static NeuronSpec relu() {
        return new NeuronSpec("relu", 0, 0, 1, 0, 1, 0);
    }

    /** Bias offset 1, so that with gain 1 the neuron sits at its firing threshold when {@code z = 0}. */
    public static NeuronSpec softlif(double tauRc, double tauRef, double gain, double amplitude, double gamma) {
        return new NeuronSpec("softlif", tauRc, tauRef, gain, 1, amplitude, gamma);
    }

    public static NeuronSpec lif(double tauRc, double tauRef, double gain, double amplitude) {
        return new NeuronSpec("lif", tauRc, tauRef, gain, 1, amplitude, 0);
    }

    /** The parameters used for MNIST networks. */
    public static NeuronSpec mnist() {
        return softlif(0.022, 0.002, 1.0, 0.063, 0.02);
    }

    /** The parameters used for CIFAR networks. */
    public static NeuronSpec cifar() {
        return softlif(0.05, 0.001, 0.825, 0.063, 0.02);
    }
}
