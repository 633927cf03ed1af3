package dev.lifvision.network;

import java.util.Arrays;

/** Fully connected: weights {@code [in, out]} row-major, so a spike's fan-out is one contiguous row. */
public final class Dense implements LinearOp {
    private final int in;
    private final int out;
    private final float[] w;

    public Dense(int in, int out, float[] weights) {
        if (weights.length != in * out) {
            throw new IllegalArgumentException("dense weights have " + weights.length + " values, expected "
                    + in + " x " + out);
        }
        this.in = in;
        this.out = out;
        this.w = weights;
    }

    @Override
    public int inSize() {
        return in;
    }

    @Override
    public int outSize() {
        return out;
    }

    @Override
    public void forward(float[] x, float[] y) {
        Arrays.fill(y, 0, out, 0f);
        for (int i = 0; i < in; i++) {
            float xi = x[i];
            if (xi != 0f) {
                int row = i * out;
                for (int o = 0; o < out; o++) {
                    y[o] += xi * w[row + o];
                }
            }
        }
    }

    @Override
    public int scatter(int i, float value, float[] y, float[] scratch) {
        int row = i * out;
        if (out < 64) {
            // too short for the copy to pay off (an output layer of 10 classes)
            for (int o = 0; o < out; o++) {
                y[o] += value * w[row + o];
            }
            return out;
        }
        Axpy.axpy(y, 0, w, row, out, value, scratch);
        return out;
    }

    @Override
    public long connections() {
        return (long) in * out;
    }
}
