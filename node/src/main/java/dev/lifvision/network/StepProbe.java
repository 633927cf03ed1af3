package dev.lifvision.network;

/**
 * Optional observer of a {@link SpikingSimulator} presentation, for calibration tools: it sees every
 * time step without changing what the simulator computes. Called on the simulating thread; an
 * implementation must not keep the arrays it is handed (they are the simulator's live buffers).
 */
public interface StepProbe {
    /**
     * Population {@code k} (0-based, never the output layer) emitted {@code count} spikes in step
     * {@code step}, from the neurons {@code idx[0 .. count)}.
     */
    default void spikes(int step, int k, int[] idx, int count) {
    }

    /**
     * End of step {@code step} (0-based) of the presentation.
     *
     * @param output the output layer's pre-activation in this step (what the readout window averages)
     * @param synapticEvents synaptic events delivered so far in this presentation
     */
    void step(int step, float[] output, long synapticEvents);
}
