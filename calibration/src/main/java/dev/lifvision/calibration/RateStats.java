package dev.lifvision.calibration;

import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.network.Network;
import dev.lifvision.network.RateSimulator;

/**
 * Firing rates per spiking population over a set of images: a 1 Hz histogram of (neuron, image)
 * rates, their sum and maximum, and which neurons ever fired. For the ANN a neuron's rate is its
 * activation / amplitude (the rate curve r(j) of its layer); for the SNN it is spikes / duration.
 */
final class RateStats {
    /** Rates at or above this fraction of 1/tau_ref count as saturated. */
    static final double SATURATION = 0.8;
    private static final int MAX_BINS = 2001;

    final int layers;
    final String[] names;
    final int[] sizes;
    final boolean[] lif;
    final double[] maxPossible;
    final double duration;
    final long[][] hist;
    final double[] sum;
    final double[] max;
    final long[] samples;
    final boolean[][] everFired;
    private final double[] amplitude;

    RateStats(Network net, double duration) {
        this.layers = net.stageCount() - 1;
        this.duration = duration;
        names = new String[layers];
        sizes = new int[layers];
        lif = new boolean[layers];
        maxPossible = new double[layers];
        amplitude = new double[layers];
        hist = new long[layers][];
        sum = new double[layers];
        max = new double[layers];
        samples = new long[layers];
        everFired = new boolean[layers][];
        for (int k = 0; k < layers; k++) {
            NeuronSpec n = net.stage(k).neuron();
            names[k] = net.stage(k).name();
            sizes[k] = net.stage(k).size();
            lif[k] = n.type().equals("lif") || n.type().equals("softlif");
            maxPossible[k] = lif[k] && n.tauRef() > 0 ? 1.0 / n.tauRef() : 1000.0;
            amplitude[k] = lif[k] ? n.amplitude() : 1.0;
            hist[k] = new long[(int) Math.min(MAX_BINS, Math.ceil(maxPossible[k]) + 2)];
            everFired[k] = new boolean[sizes[k]];
        }
    }

    private void add(int k, int neuron, double rate) {
        long[] h = hist[k];
        int bin = (int) Math.min(h.length - 1, Math.max(0, Math.floor(rate)));
        h[bin]++;
        sum[k] += rate;
        samples[k]++;
        if (rate > max[k]) {
            max[k] = rate;
        }
        if (bin > 0) {
            everFired[k][neuron] = true;
        }
    }

    void addAnn(RateSimulator sim) {
        for (int k = 0; k < layers; k++) {
            float[] a = sim.activations(k);
            double inv = 1.0 / amplitude[k];
            for (int i = 0; i < sizes[k]; i++) {
                add(k, i, a[i] * inv);
            }
        }
    }

    void addCounts(int[][] counts) {
        for (int k = 0; k < layers; k++) {
            int[] c = counts[k];
            for (int i = 0; i < sizes[k]; i++) {
                add(k, i, c[i] / duration);
            }
        }
    }

    void merge(RateStats o) {
        for (int k = 0; k < layers; k++) {
            for (int b = 0; b < hist[k].length; b++) {
                hist[k][b] += o.hist[k][b];
            }
            sum[k] += o.sum[k];
            samples[k] += o.samples[k];
            max[k] = Math.max(max[k], o.max[k]);
            for (int i = 0; i < sizes[k]; i++) {
                everFired[k][i] |= o.everFired[k][i];
            }
        }
    }

    double mean(int k) {
        return samples[k] == 0 ? 0 : sum[k] / samples[k];
    }

    /** Quantile q (0..1) of the rates, to 1 Hz (the lower edge of its bin). */
    double quantile(int k, double q) {
        return quantile(k, q, 0);
    }

    /** Quantile among the firing (>= 1 Hz) samples only. */
    double activeQuantile(int k, double q) {
        return quantile(k, q, 1);
    }

    private double quantile(int k, double q, int fromBin) {
        long[] h = hist[k];
        long total = 0;
        for (int b = fromBin; b < h.length; b++) {
            total += h[b];
        }
        if (total == 0) {
            return 0;
        }
        long target = (long) Math.ceil(q * total);
        long acc = 0;
        for (int b = fromBin; b < h.length; b++) {
            acc += h[b];
            if (acc >= Math.max(1, target)) {
                return b;
            }
        }
        return h.length - 1;
    }

    /** Fraction of (neuron, image) samples below 1 Hz. */
    double silent(int k) {
        return samples[k] == 0 ? 0 : (double) hist[k][0] / samples[k];
    }

    /** Fraction of neurons that never reached 1 Hz on any image. */
    double dead(int k) {
        int d = 0;
        for (boolean b : everFired[k]) {
            if (!b) {
                d++;
            }
        }
        return (double) d / sizes[k];
    }

    /** Fraction of samples at or above {@link #SATURATION} / tau_ref. */
    double saturated(int k) {
        if (!lif[k] || samples[k] == 0) {
            return 0;
        }
        int from = (int) Math.floor(SATURATION * maxPossible[k]);
        long c = 0;
        for (int b = from; b < hist[k].length; b++) {
            c += hist[k][b];
        }
        return (double) c / samples[k];
    }
}
