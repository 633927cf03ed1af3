package dev.lifvision.network;

/** The reference backend: the ANN forward pass with each layer's rate neurons. */
public final class RateSimulator implements Simulator {
    private final Network net;
    private final float[][][] buffers;

    public RateSimulator(Network net) {
        this.net = net;
        buffers = new float[net.stageCount()][][];
        for (int k = 0; k < net.stageCount(); k++) {
            LinearOp[] ops = net.stage(k).ops;
            buffers[k] = new float[ops.length][];
            for (int j = 0; j < ops.length; j++) {
                buffers[k][j] = new float[ops[j].outSize()];
            }
        }
    }

    @Override
    public void present(float[] input, FrameResult result) {
        result.clear();
        float[] x = input;
        for (int k = 0; k < net.stageCount(); k++) {
            Stage st = net.stage(k);
            for (int j = 0; j < st.ops.length; j++) {
                st.ops[j].forward(x, buffers[k][j]);
                x = buffers[k][j];
            }
            float[] b = st.bias;
            for (int i = 0; i < b.length; i++) {
                x[i] += b[i];
            }
            st.rate.activate(x, b.length);
            result.neuronUpdates += b.length;
        }
        System.arraycopy(x, 0, result.output, 0, result.output.length);
        result.steps = 1;
        result.readoutSteps = 1;
    }

    /** Activations of population k after the last {@link #present}, for probes and calibration. */
    public float[] activations(int k) {
        float[][] b = buffers[k];
        return b[b.length - 1];
    }

    @Override
    public void reset() {
    }

    @Override
    public Network network() {
        return net;
    }
}
