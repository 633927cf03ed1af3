package dev.lifvision.neuron;

import java.util.Arrays;

/**
 * Spiking LIF neurons with exact exponential integration and sub-step spike timing, the scheme
 * Nengo uses. With the input held over a step, {@code V <- J + (V - J) exp(-t/tau_rc)} is exact;
 * the spike time inside the step is recovered by inverting that exponential, and the refractory
 * period may end mid-step (only the non-refractory part of the step integrates). This keeps the
 * simulated rate equal to {@link LifRate#rate} even at dt = 1 ms, where naive Euler with
 * whole-step refractory periods would be off by tens of percent. At most one spike per step.
 */
public final class SpikingLif implements SpikingNeurons {
    private final int size;
    private final float dt;
    private final double tauRc;
    private final float tauRef;
    private final float gain;
    private final float biasOffset;
    private final float spikeValue;
    /** -expm1(-dt/tau_rc): the fraction of the way to J covered in a full step. */
    private final float fullStepGain;
    private final float[] voltage;
    /** Refractory time still to serve at the start of the next step, in seconds. */
    private final float[] refractory;

    public SpikingLif(int size, double dt, double tauRc, double tauRef, double gain, double biasOffset,
                      double amplitude) {
        this.size = size;
        this.dt = (float) dt;
        this.tauRc = tauRc;
        this.tauRef = (float) tauRef;
        this.gain = (float) gain;
        this.biasOffset = (float) biasOffset;
        this.spikeValue = (float) (amplitude / dt);
        this.fullStepGain = (float) -Math.expm1(-dt / tauRc);
        this.voltage = new float[size];
        this.refractory = new float[size];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void reset() {
        Arrays.fill(voltage, 0f);
        Arrays.fill(refractory, 0f);
    }

    @Override
    public float spikeValue() {
        return spikeValue;
    }

    @Override
    public int step(float[] x, int[] spikes) {
        final float[] v = voltage;
        final float[] ref = refractory;
        final float dt = this.dt;
        int n = 0;
        for (int i = 0; i < size; i++) {
            float j = gain * x[i] + biasOffset;
            float r = ref[i];
            float vi = v[i];
            if (r <= 0f) {
                vi += (j - vi) * fullStepGain;
            } else if (r < dt) {
                // the refractory period ends inside this step: integrate only the rest of it
                vi += (j - vi) * fractionCovered((dt - r) / tauRc);
            }
            // else: refractory for the whole step, V stays at 0
            if (vi > 1f) {
                // time from step start to the threshold crossing, by inverting the exponential
                float tSpike = dt + (float) (tauRc * Math.log1p(-(vi - 1f) / (j - 1f)));
                vi = 0f;
                ref[i] = tauRef + tSpike - dt;
                spikes[n++] = i;
            } else {
                if (vi < 0f) {
                    vi = 0f;
                }
                ref[i] = r - dt;
            }
            v[i] = vi;
        }
        return n;
    }

    /**
     * {@code 1 - exp(-x)} for x in (0, dt/tau_rc]. A Taylor polynomial for small x (error below
     * x^6/720, under 1e-8 for x < 0.1) because Math.expm1 costs more than the rest of the step,
     * and this branch runs once after every spike.
     */
    static float fractionCovered(double x) {
        if (x < 0.1) {
            return (float) (x * (1 - x * (0.5 - x * (1.0 / 6 - x * (1.0 / 24 - x * (1.0 / 120))))));
        }
        return (float) -Math.expm1(-x);
    }

    /** Membrane voltages, for tests and probes. */
    public float[] voltage() {
        return voltage;
    }
}
