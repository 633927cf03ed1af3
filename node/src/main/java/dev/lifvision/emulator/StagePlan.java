package dev.lifvision.emulator;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.NeuronSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * A bundle's layers grouped into populations exactly as {@code Network.of} groups them: zero or
 * more average pools followed by one weighted layer with neurons. Built from the bundle, because
 * the network's stages keep their ops private and the emulator needs the layer geometry anyway.
 *
 * @param index    population index (the same as the network's stage index)
 * @param name     the network's stage name ("pool2+conv3")
 * @param pools    the pools in front of the weighted layer
 * @param weighted the weighted layer
 */
record StagePlan(int index, String name, List<LayerSpec> pools, LayerSpec weighted) {

    NeuronSpec neuron() {
        return weighted.neuron();
    }

    int size() {
        return weighted.outSize();
    }

    /** Inputs of the stage: the spike sources (before the pools). */
    int inSize() {
        return pools.isEmpty() ? weighted.inSize() : pools.get(0).inSize();
    }

    /** Product of the pools' divisors: the weights carry 1/divisor, the pools only route spikes. */
    int poolDivisor() {
        int d = 1;
        for (LayerSpec p : pools) {
            d *= p.kernel()[0] * p.kernel()[1];
        }
        return d;
    }

    static List<StagePlan> of(Bundle bundle) {
        List<StagePlan> out = new ArrayList<>();
        List<LayerSpec> pending = new ArrayList<>();
        for (LayerSpec l : bundle.manifest().layers()) {
            if (l.type().equals("avgpool")) {
                checkPool(l);
                pending.add(l);
                continue;
            }
            StringBuilder name = new StringBuilder();
            for (LayerSpec p : pending) {
                name.append(p.name()).append('+');
            }
            out.add(new StagePlan(out.size(), name.append(l.name()).toString(), List.copyOf(pending), l));
            pending.clear();
        }
        if (!pending.isEmpty()) {
            throw new IllegalArgumentException("layer " + pending.get(pending.size() - 1).name()
                    + ": the emulator needs a weighted layer after the last average pool (a pool-only readout has no"
                    + " synapses to put on a core)");
        }
        return out;
    }

    /**
     * The chip has no pooling unit: a pool becomes routing (every source in a window sends to the
     * axon of its pooled cell) and its 1/divisor goes into the next weights. That needs the same
     * divisor for every cell, which holds unless padding cells are left out of the divisor.
     */
    private static void checkPool(LayerSpec l) {
        if (l.kernel()[0] != l.kernel()[1] || l.stride()[0] != l.stride()[1] || l.padding()[0] != l.padding()[1]) {
            throw new IllegalArgumentException("layer " + l.name() + ": only square pools are supported");
        }
        if (l.padding()[0] > 0 && !l.countIncludePad()) {
            throw new IllegalArgumentException("layer " + l.name() + ": an average pool with padding and "
                    + "count_include_pad false has a different divisor at the border; the emulator folds the divisor"
                    + " into the next layer's weights and needs it uniform");
        }
    }
}
