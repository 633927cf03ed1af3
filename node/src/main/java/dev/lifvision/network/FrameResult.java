package dev.lifvision.network;

import java.util.Arrays;

/**
 * What a backend reports for one frame. Reused frame after frame by its owner (no allocation per
 * frame): copy what must outlive the next call.
 */
public final class FrameResult {
    /** Mean of the output layer over the readout window (the rate backend: its output). */
    public final float[] output;
    /** Spikes per population in this frame (the last, linear, population never spikes). */
    public final long[] spikes;
    /** Synaptic events: (spike, target) pairs delivered, pooling taps included. */
    public long synapticEvents;
    /** Neuron state updates (one per neuron per step, output layer included). */
    public long neuronUpdates;
    /** Time steps simulated for this frame (1 for the rate backend). */
    public int steps;
    /** Steps averaged by the readout. */
    public int readoutSteps;

    public FrameResult(int outputs, int populations) {
        output = new float[outputs];
        spikes = new long[populations];
    }

    /** Zeroes everything before a frame (backends outside this package call it too). */
    public void clear() {
        Arrays.fill(output, 0f);
        Arrays.fill(spikes, 0L);
        synapticEvents = 0;
        neuronUpdates = 0;
        steps = 0;
        readoutSteps = 0;
    }

    public long totalSpikes() {
        long s = 0;
        for (long v : spikes) {
            s += v;
        }
        return s;
    }

    /** Index of the largest output; ties go to the lowest index. */
    public int argmax() {
        int best = 0;
        for (int i = 1; i < output.length; i++) {
            if (output[i] > output[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Cost in the neuromorphic efficiency model of Hunsberger & Eliasmith (2016): 0.08
     * FLOP-equivalents per synaptic event plus 0.25 per neuron update.
     */
    public double energyFlops() {
        return 0.08 * synapticEvents + 0.25 * neuronUpdates;
    }
}
