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
    private final boolean fastPath;
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
        this.fastPath = dt / tauRc <= 0.25;
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
        return fastPath ? stepPolynomial(x, spikes) : stepExact(x, spikes);
    }

    /**
     * Two passes. The first integrates every neuron without a data-dependent branch, so C2
     * vectorises it: the integrated time is {@code clamp(dt - refractory, 0, dt)} (the whole step,
     * the part after the refractory period ends, or nothing) and {@code 1 - exp(-t/tau_rc)} comes
     * from a degree-6 Taylor polynomial, exact to float precision for t/tau_rc <= 0.25. The second
     * pass finds the few neurons above threshold and gives them their sub-step spike time. This is
     * about 5x faster than one branchy pass with a transcendental call per refractory neuron.
     */
    private int stepPolynomial(float[] x, int[] spikes) {
        final float[] v = voltage;
        final float[] ref = refractory;
        final float dt = this.dt;
        final float invTau = (float) (1.0 / tauRc);
        final float g = gain;
        final float b = biasOffset;
        for (int i = 0; i < size; i++) {
            float r = ref[i];
            float t = Math.min(Math.max(dt - r, 0f), dt) * invTau;
            float f = t * (1f - t * (0.5f - t * (1f / 6 - t * (1f / 24 - t * (1f / 120 - t * (1f / 720))))));
            float vi = v[i];
            vi += (g * x[i] + b - vi) * f;
            v[i] = Math.max(vi, 0f);
            ref[i] = r - dt;
        }
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (v[i] > 1f) {
                n = spike(i, g * x[i] + b, spikes, n);
            }
        }
        return n;
    }

    private int spike(int i, float j, int[] spikes, int n) {
        // time from step start to the threshold crossing, by inverting the exponential
        float tSpike = dt + (float) tauRc * ln(1f - (voltage[i] - 1f) / (j - 1f));
        voltage[i] = 0f;
        refractory[i] = tauRef + tSpike - dt;
        spikes[n] = i;
        return n + 1;
    }

    /**
     * Natural log for z in (0, 1], about 1e-7 relative: exponent from the bits, mantissa
     * normalised to [sqrt(1/2), sqrt(2)) and an atanh series. Math.log1p in double cost more
     * than everything else a spike does; float precision is all the spike time needs.
     */
    static float ln(float z) {
        int bits = Float.floatToRawIntBits(z);
        int e = ((bits >>> 23) & 0xff) - 127;
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f800000);
        if (m > 1.41421356f) {
            m *= 0.5f;
            e++;
        }
        float s = (m - 1f) / (m + 1f);
        float s2 = s * s;
        float series = s * (2f + s2 * (2f / 3 + s2 * (2f / 5 + s2 * (2f / 7 + s2 * (2f / 9)))));
        return e * 0.6931471805599453f + series;
    }

    /** The same step for coarse steps (dt > tau_rc / 4), with exact exponentials. */
    private int stepExact(float[] x, int[] spikes) {
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
                vi += (j - vi) * (float) -Math.expm1(-(dt - r) / tauRc);
            }
            v[i] = Math.max(vi, 0f);
            ref[i] = r - dt;
            if (vi > 1f) {
                n = spike(i, j, spikes, n);
            }
        }
        return n;
    }

    /** Membrane voltages, for tests and probes. */
    public float[] voltage() {
        return voltage;
    }
}
