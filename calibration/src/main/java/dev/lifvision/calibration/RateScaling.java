package dev.lifvision.calibration;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.Manifest;
import dev.lifvision.bundle.NeuronSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Data-based rate normalisation, layer by layer: a LIF layer whose busy neurons (99th percentile of
 * the firing samples, from the ANN on the calibration set) fire well below {@code target} Hz gets
 * its gain multiplied by lambda = target / p99 and its amplitude divided by lambda. In the LIF
 * curve's near-linear range the layer's output (amplitude x rate) is unchanged while every neuron
 * fires about lambda times faster, so spike trains carry the same values in less time. lambda is
 * clipped to [1/maxScale, maxScale]; changes under 10 % are skipped.
 */
final class RateScaling {
    private RateScaling() {
    }

    /** lambda per spiking population (1 where unchanged). */
    static double[] factors(RateStats ann, double targetFraction, double maxScale) {
        double[] f = new double[ann.layers];
        for (int k = 0; k < ann.layers; k++) {
            f[k] = 1;
            if (!ann.lif[k]) {
                continue;
            }
            double p99 = ann.activeQuantile(k, 0.99);
            if (p99 < 1) {
                continue; // a silent layer: scaling cannot create a signal
            }
            double l = targetFraction * ann.maxPossible[k] / p99;
            l = Math.max(1 / maxScale, Math.min(maxScale, l));
            if (Math.abs(Math.log(l)) >= Math.log(1.1)) {
                f[k] = l;
            }
        }
        return f;
    }

    static boolean any(double[] f) {
        for (double v : f) {
            if (v != 1) {
                return true;
            }
        }
        return false;
    }

    /** The bundle with population k's layer (the k-th layer with a neuron) rescaled by f[k]. */
    static Bundle apply(Bundle b, double[] f) {
        Manifest m = b.manifest();
        List<LayerSpec> layers = new ArrayList<>();
        int k = 0;
        for (LayerSpec l : m.layers()) {
            if (l.neuron() != null && !l.type().equals("avgpool")) {
                if (k < f.length && f[k] != 1) {
                    NeuronSpec n = l.neuron();
                    NeuronSpec s = new NeuronSpec(n.type(), n.tauRc(), n.tauRef(), n.gain() * f[k], n.biasOffset(),
                            n.amplitude() / f[k], n.gamma());
                    l = new LayerSpec(l.name(), l.type(), l.inShape(), l.outShape(), l.kernel(), l.stride(),
                            l.padding(), l.countIncludePad(), l.weights(), l.bias(), s);
                }
                k++;
            }
            layers.add(l);
        }
        Manifest scaled = new Manifest(m.formatVersion(), m.name(), m.labels(), m.input(), layers, m.simulation(),
                m.calibration(), m.provenance(), m.tensors());
        return new Bundle(scaled, b.tensors());
    }
}
