package dev.lifvision.encode;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns a frame of input values into input spikes, one step at a time. Rate |x| * inputRate
 * (at most one spike per step), each spike carrying sign(x) / (inputRate * dt), so the filtered
 * spike train averages to x. No allocation per step.
 */
public final class SpikeEncoder {
    private final InputCoding coding;
    private final float dt;
    private final float rate;
    private final float[] phase;
    private final SplittableRandom random;

    public SpikeEncoder(InputCoding coding, int size, double dt, double inputRate, long seed) {
        if (coding == InputCoding.CURRENT) {
            throw new IllegalArgumentException("constant-current input has no spikes");
        }
        this.coding = coding;
        this.dt = (float) dt;
        this.rate = (float) inputRate;
        this.phase = new float[size];
        this.random = new SplittableRandom(seed);
    }

    /** The value each spike carries, before its sign. */
    public float spikeValue() {
        return 1f / (rate * dt);
    }

    public void reset() {
        Arrays.fill(phase, 0f);
    }

    /**
     * One step: indices of positive spikes go to {@code pos}, negative to {@code neg}.
     *
     * @return counts packed as {@code (long) nPos << 32 | nNeg}
     */
    public long step(float[] x, int[] pos, int[] neg) {
        int np = 0;
        int nn = 0;
        final float p = rate * dt;
        for (int i = 0; i < phase.length; i++) {
            float xi = x[i];
            if (xi == 0f) {
                continue;
            }
            float prob = Math.min(1f, Math.abs(xi) * p);
            boolean spike;
            if (coding == InputCoding.POISSON) {
                spike = random.nextFloat() < prob;
            } else {
                float ph = phase[i] + prob;
                spike = ph >= 1f;
                phase[i] = spike ? ph - 1f : ph;
            }
            if (spike) {
                if (xi > 0f) {
                    pos[np++] = i;
                } else {
                    neg[nn++] = i;
                }
            }
        }
        return ((long) np << 32) | nn;
    }
}
