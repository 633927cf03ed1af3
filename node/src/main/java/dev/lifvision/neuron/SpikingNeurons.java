package dev.lifvision.neuron;

import dev.lifvision.bundle.NeuronSpec;

/**
 * A population of spiking neurons stepped on a fixed timestep. Implementations keep their state
 * in primitive arrays and never allocate in {@link #step}.
 */
public interface SpikingNeurons {
    int size();

    /** Back to rest: zero voltage, not refractory. */
    void reset();

    /**
     * Advances all neurons by one step with pre-activation {@code x} (filtered input plus bias,
     * the same quantity the rate neuron sees) held over the step.
     *
     * @param spikes receives the indices of the neurons that spiked (at most one per neuron)
     * @return the number of spikes written
     */
    int step(float[] x, int[] spikes);

    /** The value one spike carries into the next layer's synapses ({@code amplitude / dt}). */
    float spikeValue();

    static SpikingNeurons of(NeuronSpec spec, int size, double dt) {
        return switch (spec.type()) {
            case "lif", "softlif" -> new SpikingLif(size, dt, spec.tauRc(), spec.tauRef(), spec.gain(),
                    spec.biasOffset(), spec.amplitude());
            case "relu" -> new SpikingRelu(size, dt);
            default -> throw new IllegalArgumentException("neuron type '" + spec.type()
                    + "' has no spiking form (only lif, softlif and relu layers can spike)");
        };
    }
}
