package dev.lifvision.emulator;

import dev.lifvision.emulator.Quantiser.InputPath;
import dev.lifvision.encode.SpikeEncoder;
import dev.lifvision.network.FrameResult;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import dev.lifvision.network.Simulator;
import dev.lifvision.network.SparseSet;
import dev.lifvision.neuron.NeuronModel;
import dev.lifvision.neuron.SpikingNeurons;

import java.util.Arrays;

/**
 * The {@code loihi} backend: integer LIF cores stepped exactly as section 6 of the method
 * reference describes, with the structure and counters of the float {@code SpikingSimulator}.
 *
 * <p>Per step: the source spikes (the encoder's pixel spikes, or the host layer's LIF spikes) are
 * routed to the first on-chip layer, then each on-chip layer in order: route the spikes the previous
 * layer emitted in this same step through the pools (spike counts per pooled axon) into the
 * weights (an int accumulator per neuron, in mantissa units), then per neuron
 * {@code u <- decay(u) + (acc << shift)}, {@code v <- decay(v) + u + bias}, v held at 0 while
 * refractory, spike when {@code v > threshold}. The last layer is the readout: its {@code u + bias}
 * is summed over the readout window and scaled back to float.
 *
 * <p>Every state is checked against its bit width; a value beyond it is saturated and counted per
 * layer ({@link QuantisedNetwork#overflowReport}), never wrapped. All state is int arrays allocated
 * once; {@link #present} allocates nothing.
 */
public final class LoihiSimulator implements Simulator {
    private final Network net;
    private final SimOptions opt;
    private final QuantisedNetwork q;
    private final QuantisedLayer[] layers;
    private final int nLayers;
    private final int first;
    // formats, copied into fields so the loops read plain ints
    private final int decayShift, decayMask, uMax, uMin, vMax;
    private final int[] shift, accMax, accMin, keepU, keepV, vth;
    // per-layer state
    private final int[][] acc, scratch, u, v, ref, spikes;
    private final int[] spikeCount;
    private final long[][] readSum;
    private final int[][][] poolCounts;
    private final SparseSet[][] poolTouched;
    private final long[] overflow;
    private final int[] satScratch = new int[3];
    // input path
    private final SpikeEncoder encoder;
    private final int[] inPos, inNeg;
    private final SpikingNeurons host;
    private final float[] hostPre;
    private final float[][] hostScratch;
    private final int[] hostSpikes;
    private final NeuronModel readoutRate;
    private float[] lastInput;

    public LoihiSimulator(Network net, SimOptions opt, QuantisedNetwork q) {
        this.net = net;
        this.opt = opt;
        this.q = q;
        this.first = q.firstOnChip();
        this.layers = q.layers().toArray(new QuantisedLayer[0]);
        this.nLayers = layers.length;
        if (first + nLayers != net.stageCount()) {
            throw new IllegalArgumentException("quantised network has " + nLayers + " chip layers, network "
                    + net.name() + " has " + net.stageCount() + " stages");
        }
        ChipProfile chip = q.chip();
        decayShift = chip.decayBits();
        decayMask = chip.decayOne() - 1;
        uMax = chip.currentMax();
        uMin = -uMax - 1;
        vMax = chip.voltageMax();
        shift = new int[nLayers];
        accMax = new int[nLayers];
        accMin = new int[nLayers];
        keepU = new int[nLayers];
        keepV = new int[nLayers];
        vth = new int[nLayers];
        acc = new int[nLayers][];
        scratch = new int[nLayers][];
        u = new int[nLayers][];
        v = new int[nLayers][];
        ref = new int[nLayers][];
        spikes = new int[nLayers][];
        spikeCount = new int[nLayers];
        readSum = new long[nLayers][];
        poolCounts = new int[nLayers][][];
        poolTouched = new SparseSet[nLayers][];
        overflow = new long[3 * nLayers];
        for (int j = 0; j < nLayers; j++) {
            QuantisedLayer l = layers[j];
            int n = l.size();
            shift[j] = chip.weightShiftBase() + l.weightExp;
            // the synaptic input (acc << shift) must fit inputBits: bound acc before shifting
            accMax[j] = chip.inputMax() >> shift[j];
            accMin[j] = -((chip.inputMax() + 1) >> shift[j]);
            keepU[j] = chip.decayOne() - 1 - l.decayU;
            keepV[j] = chip.decayOne() - l.decayV;
            vth[j] = l.thresholdMantissa << chip.thresholdShift();
            acc[j] = new int[n];
            scratch[j] = new int[n];
            u[j] = new int[n];
            if (l.spiking) {
                v[j] = new int[n];
                ref[j] = new int[n];
                spikes[j] = new int[n];
            } else {
                readSum[j] = new long[n];
            }
            int pools = l.plan.pools().size();
            poolCounts[j] = new int[pools][];
            poolTouched[j] = new SparseSet[pools];
            for (int p = 0; p < pools; p++) {
                int size = l.plan.pools().get(p).outSize();
                poolCounts[j][p] = new int[size];
                poolTouched[j][p] = new SparseSet(size);
            }
        }
        if (q.inputPath() == InputPath.HOST) {
            if (q.hostOps == null) {
                throw new IllegalArgumentException("quantised network has no host layer attached");
            }
            int n = net.stage(0).size();
            host = SpikingNeurons.of(net.stage(0).neuron(), n, opt.dt());
            hostPre = new float[n];
            hostSpikes = new int[n];
            hostScratch = new float[q.hostOps.length][];
            for (int j = 0; j < hostScratch.length; j++) {
                hostScratch[j] = new float[q.hostOps[j].outSize()];
            }
            encoder = null;
            inPos = inNeg = null;
        } else {
            host = null;
            hostPre = null;
            hostSpikes = null;
            hostScratch = null;
            encoder = new SpikeEncoder(opt.coding(), net.inputSize(), opt.dt(), opt.inputRate(), opt.seed());
            inPos = new int[net.inputSize()];
            inNeg = new int[net.inputSize()];
        }
        readoutRate = net.stage(net.stageCount() - 1).rateModel();
    }

    @Override
    public Network network() {
        return net;
    }

    public QuantisedNetwork quantised() {
        return q;
    }

    @Override
    public void reset() {
        for (int j = 0; j < nLayers; j++) {
            Arrays.fill(acc[j], 0);
            Arrays.fill(u[j], 0);
            if (v[j] != null) {
                Arrays.fill(v[j], 0);
                Arrays.fill(ref[j], 0);
            }
        }
        if (host != null) {
            host.reset();
        }
        if (encoder != null) {
            encoder.reset();
        }
    }

    @Override
    public void present(float[] input, FrameResult result) {
        if (input.length != net.inputSize()) {
            throw new IllegalArgumentException("input has " + input.length + " values, network " + net.name()
                    + " expects " + net.inputSize());
        }
        if (!opt.continuous()) {
            reset();
        }
        result.clear();
        lastInput = input;
        final int steps = opt.steps();
        final int firstRead = opt.readoutFirstStep();
        final int lastRead = opt.readoutLastStep();
        if (host != null) {
            hostCurrent(input);
        }
        for (int j = 0; j < nLayers; j++) {
            if (readSum[j] != null) {
                Arrays.fill(readSum[j], 0L);
            }
        }
        long events = 0;
        long updates = 0;
        for (int t = 0; t < steps; t++) {
            if (host != null) {
                int n = host.step(hostPre, hostSpikes);
                result.spikes[0] += n;
                updates += hostPre.length;
                events += deliver(0, hostSpikes, n, 1);
            } else {
                long packed = encoder.step(lastInput, inPos, inNeg);
                events += deliver(0, inPos, (int) (packed >>> 32), 1) + deliver(0, inNeg, (int) packed, -1);
            }
            boolean reading = t >= firstRead && t <= lastRead;
            for (int j = 0; j < nLayers; j++) {
                if (j > 0) {
                    events += deliver(j, spikes[j - 1], spikeCount[j - 1], 1);
                }
                if (layers[j].spiking) {
                    int n = stepNeurons(j);
                    spikeCount[j] = n;
                    result.spikes[first + j] += n;
                } else {
                    stepReadout(j, reading);
                }
                updates += layers[j].size();
            }
        }
        int readout = lastRead - firstRead + 1;
        QuantisedLayer out = layers[nLayers - 1];
        long[] sum = readSum[nLayers - 1];
        for (int i = 0; i < result.output.length; i++) {
            result.output[i] = (float) readoutRate.activation(sum[i] / (double) readout / out.scale);
        }
        result.steps = steps;
        result.readoutSteps = readout;
        result.synapticEvents = events;
        result.neuronUpdates = updates;
        q.addOverflows(overflow);
        Arrays.fill(overflow, 0L);
    }

    /** FrameResult.clear is package-private in the network package; the same, from outside. */
    /** The host layer's constant input current (as the float backend computes it) plus bias. */
    private void hostCurrent(float[] input) {
        float[] x = input;
        for (int j = 0; j < q.hostOps.length; j++) {
            q.hostOps[j].forward(x, hostScratch[j]);
            x = hostScratch[j];
        }
        float[] b = q.hostBias;
        for (int i = 0; i < hostPre.length; i++) {
            hostPre[i] = x[i] + b[i];
        }
    }

    /** Routes count-c spikes of sources idx[0..n) through layer j's pools into its weights. */
    private long deliver(int j, int[] idx, int n, int c) {
        QuantisedLayer l = layers[j];
        int[] a = acc[j];
        long events = 0;
        int pools = poolCounts[j].length;
        if (pools == 0) {
            for (int s = 0; s < n; s++) {
                events += l.scatter(idx[s], c, a, scratch[j]);
            }
            return events;
        }
        for (int s = 0; s < n; s++) {
            events += l.pool(0, idx[s], c, poolCounts[j][0], poolTouched[j][0]);
        }
        for (int p = 1; p <= pools; p++) {
            int[] src = poolCounts[j][p - 1];
            SparseSet set = poolTouched[j][p - 1];
            for (int k = 0; k < set.size(); k++) {
                int cell = set.get(k);
                int cnt = src[cell];
                src[cell] = 0;
                if (cnt != 0) {
                    events += p == pools ? l.scatter(cell, cnt, a, scratch[j])
                            : l.pool(p, cell, cnt, poolCounts[j][p], poolTouched[j][p]);
                }
            }
            set.clear();
        }
        return events;
    }

    /** {@code sign(x) * floor(|x| * keep / 2^decayBits)}: rounds toward zero, the same for both signs. */
    static int decay(int x, int keep, int decayShift, int decayMask) {
        int s = x >> 31;
        int ax = (x ^ s) - s;
        // split |x| so that no product exceeds 31 bits: floor((hi*2^b + lo)*keep / 2^b) = hi*keep + floor(lo*keep / 2^b)
        int r = (ax >>> decayShift) * keep + (((ax & decayMask) * keep) >>> decayShift);
        return (r ^ s) - s;
    }

    /**
     * Two passes, as in the float LIF: the first updates every neuron without a data-dependent
     * branch (clamps are min/max, the refractory hold a mask) so C2 can vectorise it, and only ORs
     * together whether anything saturated; the second finds the few neurons above threshold. When
     * the first pass saw a saturation (rare), the second also counts them: a saturated state sits
     * exactly at its bound. The accumulator is cleared after the count, for the same reason.
     */
    private int stepNeurons(int j) {
        final int[] a = acc[j], uu = u[j], vv = v[j], rr = ref[j], sp = spikes[j];
        final int[] b = layers[j].bias;
        final int sh = shift[j], aMax = accMax[j], aMin = accMin[j], ku = keepU[j], kv = keepV[j], th = vth[j];
        final int ds = decayShift, dm = decayMask, uHi = uMax, uLo = uMin, vHi = vMax;
        final int n = a.length;
        int satIn = 0, satU = 0, satV = 0;
        int start = 0;
        if (IntAxpy.VECTOR_API) {
            int[] sat = satScratch;
            sat[0] = sat[1] = sat[2] = 0;
            start = IntVectorNeurons.step(a, uu, vv, rr, b, sh, aMin, aMax, ku, kv, ds, dm, uLo, uHi, vHi, sat);
            satIn = sat[0];
            satU = sat[1];
            satV = sat[2];
        }
        for (int i = start; i < n; i++) {
            int x = a[i];
            int xc = Math.max(aMin, Math.min(aMax, x));
            satIn |= x ^ xc;
            int ui = decay(uu[i], ku, ds, dm) + (xc << sh);
            int uc = Math.max(uLo, Math.min(uHi, ui));
            satU |= ui ^ uc;
            uu[i] = uc;
            int vi = decay(vv[i], kv, ds, dm) + uc + b[i];
            int vc = Math.min(vHi, vi);
            satV |= vi ^ vc;
            // vmin 0, as Nengo Loihi configures LIF compartments (the float model's max(V, 0))
            vc = Math.max(vc, 0);
            // refractory: the counter runs down from the delay; v is held at 0 while it is still > 0
            // after this step's decrement, i.e. for delay - 1 = round(tau_ref / dt) steps
            int w = Math.max(rr[i] - 1, 0);
            rr[i] = w;
            vv[i] = vc & ~((-w) >> 31);
        }
        if ((satIn | satU | satV) != 0) {
            countSaturations(j, satIn != 0, satU != 0, satV != 0);
        }
        Arrays.fill(a, 0);
        final int refr = layers[j].refractoryDelay;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (vv[i] > th) {
                sp[count++] = i;
                vv[i] = 0;
                rr[i] = refr;
            }
        }
        return count;
    }

    private void countSaturations(int j, boolean in, boolean cu, boolean cv) {
        final int[] a = acc[j], uu = u[j], vv = v[j];
        for (int i = 0; i < a.length; i++) {
            if (in && (a[i] > accMax[j] || a[i] < accMin[j])) {
                overflow[3 * j]++;
            }
            if (cu && (uu[i] == uMax || uu[i] == uMin)) {
                overflow[3 * j + 1]++;
            }
            if (cv && vv != null && vv[i] == vMax) {
                overflow[3 * j + 2]++;
            }
        }
    }

    private void stepReadout(int j, boolean reading) {
        final int[] a = acc[j], uu = u[j];
        final int[] b = layers[j].bias;
        final long[] sum = readSum[j];
        final int sh = shift[j], aMax = accMax[j], aMin = accMin[j], ku = keepU[j];
        int satIn = 0, satU = 0;
        for (int i = 0; i < a.length; i++) {
            int x = a[i];
            int xc = Math.max(aMin, Math.min(aMax, x));
            satIn |= x ^ xc;
            int ui = decay(uu[i], ku, decayShift, decayMask) + (xc << sh);
            int uc = Math.max(uMin, Math.min(uMax, ui));
            satU |= ui ^ uc;
            uu[i] = uc;
            if (reading) {
                sum[i] += uc + b[i];
            }
        }
        if ((satIn | satU) != 0) {
            countSaturations(j, satIn != 0, satU != 0, false);
        }
        Arrays.fill(a, 0);
    }

    /** Voltages of on-chip layer j (for tests and probes). */
    int[] voltage(int j) {
        return v[j];
    }

    /** Currents of on-chip layer j (for tests and probes). */
    int[] current(int j) {
        return u[j];
    }
}
