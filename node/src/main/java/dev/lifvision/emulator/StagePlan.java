package dev.lifvision.emulator;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.network.AvgPool2d;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

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

    /**
     * The pools' divisors, which the weights carry (the pools only route spikes): the product of
     * the pools' k x k, or, behind a pool whose padding is not counted, one divisor per pooled cell.
     */
    PoolDivisors divisors() {
        int uniform = 1;
        for (int j = 0; j < pools.size() - 1; j++) {
            uniform *= pools.get(j).kernel()[0] * pools.get(j).kernel()[1];
        }
        LayerSpec last = pools.isEmpty() ? null : pools.get(pools.size() - 1);
        if (last == null || last.padding()[0] == 0 || last.countIncludePad()) {
            int k = last == null ? 1 : last.kernel()[0] * last.kernel()[1];
            return new PoolDivisors(new int[]{uniform * k}, null, 1);
        }
        int h = last.inShape()[0], w = last.inShape()[1], k = last.kernel()[0], s = last.stride()[0];
        int pad = last.padding()[0], oh = last.outShape()[0], ow = last.outShape()[1];
        int[] perCell = new int[oh * ow];
        TreeSet<Integer> distinct = new TreeSet<>(Comparator.reverseOrder());
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                perCell[oy * ow + ox] = uniform * AvgPool2d.inBounds(h, w, k, s, pad, oy, ox);
                distinct.add(perCell[oy * ow + ox]);
            }
        }
        List<Integer> values = List.copyOf(distinct);
        if (values.size() == 1) {
            return new PoolDivisors(new int[]{values.get(0)}, null, 1);
        }
        int[] cellClass = new int[perCell.length];
        for (int i = 0; i < perCell.length; i++) {
            cellClass[i] = values.indexOf(perCell[i]);
        }
        return new PoolDivisors(values.stream().mapToInt(Integer::intValue).toArray(), cellClass, last.outShape()[2]);
    }

    /**
     * Divisor classes of a stage's input axons: class c divides by {@code values[c]} (largest first,
     * so class 0 is the interior of a padded pool); {@code cellClass} gives the class of each
     * pooled cell (row-major position, channels share it), null when every cell is class 0.
     *
     * @param channels channels per pooled cell (input axon i is cell {@code i / channels})
     */
    record PoolDivisors(int[] values, int[] cellClass, int channels) {
        int classes() {
            return values.length;
        }

        int smallest() {
            return values[values.length - 1];
        }

        /** Class of input axon i. */
        int classOf(int i) {
            return cellClass == null ? 0 : cellClass[i / channels];
        }
    }

    static List<StagePlan> of(Bundle bundle) {
        List<StagePlan> out = new ArrayList<>();
        List<LayerSpec> pending = new ArrayList<>();
        for (LayerSpec l : bundle.manifest().layers()) {
            if (l.type().equals("avgpool")) {
                checkPool(l, pending);
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
     * axon of its pooled cell) and its 1/divisor goes into the next weights. A pool that leaves its
     * padding out of the divisor needs one copy of those weights per border divisor; that works for
     * the pool next to the weights only (behind it, a pooled cell's sources would mix divisors).
     */
    private static void checkPool(LayerSpec l, List<LayerSpec> before) {
        if (l.kernel()[0] != l.kernel()[1] || l.stride()[0] != l.stride()[1] || l.padding()[0] != l.padding()[1]) {
            throw new IllegalArgumentException("layer " + l.name() + ": only square pools are supported");
        }
        for (LayerSpec p : before) {
            if (p.padding()[0] > 0 && !p.countIncludePad()) {
                throw new IllegalArgumentException("layer " + p.name() + ": an average pool with padding and "
                        + "count_include_pad false has a different divisor at the border; the emulator supports that"
                        + " only for the last pool before a weighted layer, and " + l.name() + " follows it");
            }
        }
    }
}
