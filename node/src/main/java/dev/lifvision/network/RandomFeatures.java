package dev.lifvision.network;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.InputSpec;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.Manifest;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.bundle.SimulationSpec;
import dev.lifvision.bundle.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network built in code that really classifies, without a trainer: one hidden layer of LIF
 * neurons with seeded random weights (scaled to pre-activation std {@code targetStd}) and a
 * linear readout fitted by ridge regression on the hidden rates (an extreme learning machine).
 * Used to exercise {@code lifvision eval} end to end on real data and by tests.
 */
public final class RandomFeatures {
    private RandomFeatures() {
    }

    /**
     * @param inputs  preprocessed training inputs
     * @param labels  class index per input
     */
    public static Bundle fit(String name, InputSpec input, List<String> classNames, float[][] inputs, int[] labels,
                             int hidden, NeuronSpec neuron, double targetStd, double ridge, long seed) {
        int classes = classNames.size();
        int[] inShape = {input.height(), input.width(), input.channels()};
        LayerSpec h = LayerSpec.dense("hidden", inShape, hidden, neuron);
        LayerSpec out = LayerSpec.dense("output", h.outShape(), classes, NeuronSpec.linear());
        int sampleCount = Math.min(500, inputs.length);
        float[][] samples = java.util.Arrays.copyOf(inputs, sampleCount);
        Bundle random = RandomNetworks.build(name, input, List.of(h, out), classNames, seed, samples, targetStd);
        RateSimulator sim = new RateSimulator(Network.of(random));
        FrameResult fr = sim.newResult();
        // normal equations: (A^T A + ridge I) W = A^T Y, with a bias column
        int n = hidden + 1;
        double[] ata = new double[n * n];
        double[] aty = new double[n * classes];
        double[] a = new double[n];
        for (int s = 0; s < inputs.length; s++) {
            sim.present(inputs[s], fr);
            float[] act = sim.activations(0);
            for (int i = 0; i < hidden; i++) {
                a[i] = act[i];
            }
            a[hidden] = 1.0;
            for (int i = 0; i < n; i++) {
                double ai = a[i];
                if (ai == 0) {
                    continue;
                }
                int row = i * n;
                for (int j = i; j < n; j++) {
                    ata[row + j] += ai * a[j];
                }
                aty[i * classes + labels[s]] += ai;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                ata[i * n + j] = ata[j * n + i];
            }
            ata[i * n + i] += ridge * inputs.length;
        }
        double[] w = solveSpd(ata, aty, n, classes);
        float[] wOut = new float[hidden * classes];
        float[] bOut = new float[classes];
        for (int i = 0; i < hidden; i++) {
            for (int c = 0; c < classes; c++) {
                wOut[i * classes + c] = (float) w[i * classes + c];
            }
        }
        for (int c = 0; c < classes; c++) {
            bOut[c] = (float) w[hidden * classes + c];
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>(random.tensors());
        tensors.put(out.weights(), Tensor.ofFloat32(new int[]{hidden, classes}, wOut));
        tensors.put(out.bias(), Tensor.ofFloat32(new int[]{classes}, bOut));
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, name, classNames, input, List.of(h, out),
                SimulationSpec.defaults(), null, null, null);
        return new Bundle(m, tensors);
    }

    /** Solves S X = B for symmetric positive definite S (n x n) by Cholesky; B is n x m, row-major. */
    static double[] solveSpd(double[] s, double[] b, int n, int m) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = s[i * n + j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i * n + k] * l[j * n + k];
                }
                if (i == j) {
                    if (sum <= 0) {
                        throw new IllegalStateException("normal equations are not positive definite; raise the ridge");
                    }
                    l[i * n + i] = Math.sqrt(sum);
                } else {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
        double[] x = b.clone();
        for (int c = 0; c < m; c++) {
            for (int i = 0; i < n; i++) {
                double sum = x[i * m + c];
                for (int k = 0; k < i; k++) {
                    sum -= l[i * n + k] * x[k * m + c];
                }
                x[i * m + c] = sum / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double sum = x[i * m + c];
                for (int k = i + 1; k < n; k++) {
                    sum -= l[k * n + i] * x[k * m + c];
                }
                x[i * m + c] = sum / l[i * n + i];
            }
        }
        return x;
    }
}
