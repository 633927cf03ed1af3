package dev.lifvision.emulator;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.emulator.Quantiser.InputPath;
import dev.lifvision.network.SimOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits each on-chip layer onto cores. Rule (node/EMULATOR.md, "Mapping"): a layer's output
 * neurons, shaped [rows, cols, channels] (a dense layer: [1, 1, units]), are cut into equal
 * tiles; one tile per core. For each tile size the mapper checks, on the worst tile:
 * <ul>
 * <li>neurons: rows x cols x channels of the tile;</li>
 * <li>input axons: one per input cell the tile reads (its receptive field x input channels; a
 * dense tile reads every input). Average pools are routing: all sources of a pooling window send
 * to the axon of their pooled cell, so a pool does not add axons;</li>
 * <li>synapse memory: a convolution shares its weights on a core, so a core stores the kernel
 * slice of its channels once (kh x kw x cin x channels synapses) and every input axon addresses it
 * with an offset; behind a pool whose border cells have their own divisors it stores one copy per
 * divisor class (every core is charged for all copies: the worst tile reads a corner); locally
 * connected and dense layers store one synapse per connection, so the divisors cost them nothing;</li>
 * <li>output axons: one per (neuron, destination core) pair, from the next layer's tiling.</li>
 * </ul>
 * It keeps the tile size with the fewest cores. Layers are mapped from the output back, so each
 * layer knows where its spikes go.
 */
public final class CoreMapper {
    private CoreMapper() {
    }

    public static ResourceReport map(QuantisedNetwork q) {
        return map(q.plans(), q.chip(), q.inputPath());
    }

    public static ResourceReport map(Bundle bundle, ChipProfile chip, SimOptions options) {
        return map(StagePlan.of(bundle), chip, InputPath.of(options));
    }

    static ResourceReport map(List<StagePlan> plans, ChipProfile chip, InputPath path) {
        int first = path == InputPath.HOST ? 1 : 0;
        if (first >= plans.size()) {
            throw new IllegalArgumentException("a single-layer network has nothing on the chip with the first layer"
                    + " on the host");
        }
        ResourceReport.Layer[] out = new ResourceReport.Layer[plans.size() - first];
        ResourceReport.Layer next = null;
        for (int k = plans.size() - 1; k >= first; k--) {
            next = mapLayer(plans.get(k), k + 1 < plans.size() ? plans.get(k + 1) : null, next, chip);
            out[k - first] = next;
        }
        String offChip = path == InputPath.HOST ? plans.get(0).name() + " (" + plans.get(0).size()
                + " float LIF neurons on the host)" : "pixel spike encoder on the host";
        return new ResourceReport(chip, offChip, List.of(out));
    }

    /** Destination cores one source neuron of {@code next}'s input reaches, worst case. */
    private static int destinations(StagePlan next, ResourceReport.Layer nextMap) {
        if (next == null) {
            return 1; // the readout's currents go to the host
        }
        int poolFanOut = 1;
        for (LayerSpec p : next.pools()) {
            int per = Quantiser.ceilDivPositive(p.kernel()[0], p.stride()[0]);
            poolFanOut *= per * per;
        }
        LayerSpec l = next.weighted();
        int groups = Quantiser.ceilDivPositive(channels(l), nextMap.tile()[2]);
        if (l.type().equals("dense")) {
            return poolFanOut * nextMap.cores();
        }
        int ty = nextMap.tile()[0], tx = nextMap.tile()[1];
        int ys = Math.min(Quantiser.ceilDivPositive(l.outShape()[0], ty),
                Quantiser.ceilDivPositive(l.kernel()[0] - 1, ty * l.stride()[0]) + 1);
        int xs = Math.min(Quantiser.ceilDivPositive(l.outShape()[1], tx),
                Quantiser.ceilDivPositive(l.kernel()[1] - 1, tx * l.stride()[1]) + 1);
        return poolFanOut * ys * xs * groups;
    }

    private static int channels(LayerSpec l) {
        return l.type().equals("dense") ? l.outSize() : l.outShape()[2];
    }

    private static ResourceReport.Layer mapLayer(StagePlan p, StagePlan next, ResourceReport.Layer nextMap,
                                                 ChipProfile chip) {
        LayerSpec l = p.weighted();
        boolean dense = l.type().equals("dense");
        int oh = dense ? 1 : l.outShape()[0], ow = dense ? 1 : l.outShape()[1], c = channels(l);
        int dest = destinations(next, nextMap);
        ResourceReport.Layer best = null;
        List<Integer> channelTiles = new ArrayList<>();
        for (int g = 1; g <= c; g++) {
            int tc = Quantiser.ceilDivPositive(c, g);
            if (channelTiles.isEmpty() || channelTiles.get(channelTiles.size() - 1) != tc) {
                channelTiles.add(tc);
            }
        }
        // a shared kernel is stored once per pool divisor class (see the class comment)
        int copies = l.type().equals("conv2d") ? p.divisors().classes() : 1;
        for (int th = 1; th <= oh; th++) {
            for (int tw = 1; tw <= ow; tw++) {
                for (int tc : channelTiles) {
                    long neurons = (long) th * tw * tc;
                    if (neurons > chip.neuronsPerCore()) {
                        continue;
                    }
                    long axons = inputAxons(l, th, tw);
                    long bits = synapseBits(l, copies, th, tw, tc, chip);
                    long outAxons = neurons * dest;
                    if (axons > chip.inputAxonsPerCore() || bits > chip.synapseBitsPerCore()
                            || outAxons > chip.outputAxonsPerCore()) {
                        continue;
                    }
                    int cores = Quantiser.ceilDivPositive(oh, th) * Quantiser.ceilDivPositive(ow, tw)
                            * Quantiser.ceilDivPositive(c, tc);
                    if (best == null || cores < best.cores() || (cores == best.cores() && bits < best.synapseBits())) {
                        best = new ResourceReport.Layer(p.name(), l.type(), p.size(), cores, new int[]{th, tw, tc},
                                (int) neurons, (int) axons, (int) outAxons, bits);
                    }
                }
            }
        }
        if (best == null) {
            long axons = inputAxons(l, 1, 1);
            String why;
            if (axons > chip.inputAxonsPerCore()) {
                why = "one neuron's fan-in needs " + axons + " input axons, the " + chip.name() + " limit is "
                        + chip.inputAxonsPerCore() + " input axons per core";
            } else if (synapseBits(l, copies, 1, 1, 1, chip) > chip.synapseBitsPerCore()) {
                why = "one neuron's synapses need " + synapseBits(l, copies, 1, 1, 1, chip) + " bits, the " + chip.name()
                        + " limit is " + chip.synapseBitsPerCore() + " bits of synapse memory per core";
            } else {
                why = "one neuron sends to " + dest + " cores, the " + chip.name() + " limit is "
                        + chip.outputAxonsPerCore() + " output axons per core";
            }
            throw new IllegalArgumentException("layer " + l.name() + " cannot be mapped onto " + chip.name()
                    + " cores: " + why);
        }
        return best;
    }

    private static long inputAxons(LayerSpec l, int th, int tw) {
        if (l.type().equals("dense")) {
            return l.inSize();
        }
        long rows = Math.min(l.inShape()[0], (long) (th - 1) * l.stride()[0] + l.kernel()[0]);
        long cols = Math.min(l.inShape()[1], (long) (tw - 1) * l.stride()[1] + l.kernel()[1]);
        return rows * cols * l.inShape()[2];
    }

    private static long synapseBits(LayerSpec l, int copies, int th, int tw, int tc, ChipProfile chip) {
        long perNeuron = l.type().equals("dense") ? l.inSize() : (long) l.kernel()[0] * l.kernel()[1] * l.inShape()[2];
        long positions = l.type().equals("locally_connected") ? (long) th * tw : 1L;
        return perNeuron * positions * copies * tc * chip.synapseBits();
    }
}
