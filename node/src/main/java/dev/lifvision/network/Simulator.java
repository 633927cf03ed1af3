package dev.lifvision.network;

/**
 * One backend instance: it owns the mutable state of a network and runs one frame at a time on
 * the calling thread. Create one per thread ({@link Backends#create}); the {@link Network} itself
 * is shared.
 */
public interface Simulator {
    /**
     * Presents one preprocessed frame ({@code input.length == network.inputSize()}) and fills
     * {@code result}. In continuous mode the state carries over from the previous frame.
     */
    void present(float[] input, FrameResult result);

    /** Back to rest (all voltages, refractory timers and synapses cleared). */
    void reset();

    Network network();

    /**
     * Ends presentations early by the given rule (null: always run the full presentation). Backends without
     * early decision refuse a rule.
     */
    default void setDecisionRule(DecisionRule rule) {
        if (rule != null) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " has no early decision");
        }
    }

    default FrameResult newResult() {
        return new FrameResult(network().outputSize(), network().stageCount());
    }
}
