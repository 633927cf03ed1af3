package dev.lifvision.network;

/**
 * A linear map between two flat, channels-last activation vectors. The rate backend uses the
 * dense {@link #forward}; the spiking backend uses {@link #scatter}, which adds one input's
 * column to the output so that the cost of a step follows spikes x fan-out, not the weight count.
 * Instances are immutable and shared by all simulator threads.
 */
public interface LinearOp {
    int inSize();

    int outSize();

    /** {@code out = A in} (overwrites out; no bias). */
    void forward(float[] in, float[] out);

    /**
     * {@code out += value * A[:, i]}.
     *
     * @param scratch caller-owned, at least {@link #outSize()} long, contents undefined (see
     *                {@link Axpy} for why a scatter may need it)
     * @return the number of synaptic events (weights touched), for the energy estimate
     */
    int scatter(int i, float value, float[] out, float[] scratch);

    /** Number of weights (or pooling taps) in the op, for the ANN cost estimate. */
    long connections();
}
