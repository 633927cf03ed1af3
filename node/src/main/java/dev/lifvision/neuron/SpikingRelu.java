package dev.lifvision.neuron;

import java.util.Arrays;

/**
 * Non-leaky integrate-and-fire neurons whose rate is proportional to max(x, 0): the spiking form
 * of a ReLU layer (for ablations; the method trains soft-LIF). A neuron fires
 * {@code UNIT_RATE * x} times a second and each spike carries {@code 1 / UNIT_RATE} (times 1/dt,
 * as a delta), so the filtered output averages to x. The rate saturates at one spike per step.
 */
public final class SpikingRelu implements SpikingNeurons {
    /** Spikes per second for an activation of 1. */
    public static final float UNIT_RATE = 100f;
    private final int size;
    private final float dt;
    private final float[] voltage;

    public SpikingRelu(int size, double dt) {
        this.size = size;
        this.dt = (float) dt;
        this.voltage = new float[size];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void reset() {
        Arrays.fill(voltage, 0f);
    }

    @Override
    public float spikeValue() {
        return 1f / (UNIT_RATE * dt);
    }

    @Override
    public int step(float[] x, int[] spikes) {
        int n = 0;
        final float inc = UNIT_RATE * dt;
        for (int i = 0; i < size; i++) {
            float xi = x[i];
            float v = voltage[i] + (xi > 0f ? xi * inc : 0f);
            if (v > 1f) {
                v = Math.min(v - 1f, 1f);
                spikes[n++] = i;
            }
            voltage[i] = v;
        }
        return n;
    }
}
