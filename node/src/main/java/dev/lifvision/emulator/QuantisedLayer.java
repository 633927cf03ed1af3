package dev.lifvision.emulator;

import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.network.Conv2d;
import dev.lifvision.network.SparseSet;

/**
 * One on-chip population with its integer parameters and its incoming synapses. Immutable and
 * shared by all simulator threads; the per-thread state lives in {@link LoihiSimulator}.
 *
 * <p>Synaptic input is accumulated in weight-mantissa units and shifted by
 * {@code weightShiftBase + weightExp} once per neuron per step: with one exponent per layer that
 * equals summing the shifted weights, and it keeps the scatter loop a plain int add.
 *
 * <p>Behind a pool that leaves its padding out of the divisor, the layer holds one copy of its
 * weights per divisor class (interior, edges, corners: {@link StagePlan.PoolDivisors}), each with
 * its own 8-bit mantissas and exponent, as a synapse group of its own would on the chip. The
 * copies are accumulated in the units of the smallest exponent ({@link #weightExp}).
 */
public final class QuantisedLayer {
    final StagePlan plan;
    final boolean spiking;
    /** The accumulation exponent: the smallest of the classes' exponents. */
    final int weightExp;
    /**
     * Per divisor class: weight mantissas in the weighted layer's own layout ([in, out] or
     * [kh, kw, cin, cout] ...) and exponent; class 0 is the interior's (the only one without border divisors).
     */
    final int[][] classMantissas;
    final int[] classExp;
    final StagePlan.PoolDivisors divisors;
    final int[] biasMantissa;
    final int biasExp;
    /** Per-neuron bias in integer units: {@code biasMantissa << biasExp}. */
    final int[] bias;
    final int decayU;
    final int decayV;
    final int refractoryDelay;
    final int thresholdMantissa;
    /** Integer units of the current u per unit of the float pre-activation's filtered input. */
    final double scale;
    // convolution geometry (shared or local); dense uses in/out only
    private final int kind; // 0 dense, 1 conv, 2 locally connected
    private final int in, out, h, w, cin, kh, kw, sh, sw, ph, pw, oh, ow, cout;
    /** Per class: the mantissas in units of 2^weightExp, in the layer's layout. */
    private final int[][] values;
    /** Per class, shared stride-1 kernel laid out [kh, cin, kw(reversed), cout], as in Conv2d: one contiguous run per row. */
    private final int[][] rowKernel;

    /** A layer with one weight exponent (no border divisors). */
    QuantisedLayer(StagePlan plan, boolean spiking, int[] weights, int weightExp, int[] biasMantissa, int biasExp,
                   int decayU, int decayV, int refractoryDelay, int thresholdMantissa, double scale) {
        this(plan, spiking, new int[][]{weights}, new int[]{weightExp}, biasMantissa, biasExp, decayU, decayV,
                refractoryDelay, thresholdMantissa, scale);
    }

    QuantisedLayer(StagePlan plan, boolean spiking, int[][] classMantissas, int[] classExp, int[] biasMantissa,
                   int biasExp, int decayU, int decayV, int refractoryDelay, int thresholdMantissa, double scale) {
        this.plan = plan;
        this.spiking = spiking;
        this.divisors = plan.divisors();
        if (classMantissas.length != divisors.classes() || classExp.length != classMantissas.length) {
            throw new IllegalArgumentException("layer " + plan.weighted().name() + ": " + classMantissas.length
                    + " weight copies for " + divisors.classes() + " pool divisor classes");
        }
        this.classMantissas = classMantissas;
        this.classExp = classExp;
        int eMin = Integer.MAX_VALUE;
        for (int e : classExp) {
            eMin = Math.min(eMin, e);
        }
        this.weightExp = eMin;
        this.values = new int[classMantissas.length][];
        for (int c = 0; c < values.length; c++) {
            int up = classExp[c] - eMin;
            int[] m = classMantissas[c];
            int[] v = up == 0 ? m : new int[m.length];
            for (int i = 0; up != 0 && i < m.length; i++) {
                v[i] = m[i] << up;
            }
            values[c] = v;
        }
        this.biasMantissa = biasMantissa;
        this.biasExp = biasExp;
        this.bias = new int[biasMantissa.length];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = biasMantissa[i] << biasExp;
        }
        this.decayU = decayU;
        this.decayV = decayV;
        this.refractoryDelay = refractoryDelay;
        this.thresholdMantissa = thresholdMantissa;
        this.scale = scale;
        LayerSpec l = plan.weighted();
        this.in = l.inSize();
        this.out = l.outSize();
        switch (l.type()) {
            case "dense" -> kind = 0;
            case "conv2d" -> kind = 1;
            case "locally_connected" -> kind = 2;
            default -> throw new IllegalArgumentException("layer " + l.name() + ": type " + l.type()
                    + " cannot run on the emulator");
        }
        if (kind == 0) {
            h = w = cin = kh = kw = sh = sw = ph = pw = oh = ow = cout = 0;
            rowKernel = null;
        } else {
            h = l.inShape()[0];
            w = l.inShape()[1];
            cin = l.inShape()[2];
            oh = l.outShape()[0];
            ow = l.outShape()[1];
            cout = l.outShape()[2];
            kh = l.kernel()[0];
            kw = l.kernel()[1];
            sh = l.stride()[0];
            sw = l.stride()[1];
            ph = l.padding()[0];
            pw = l.padding()[1];
            if (kind == 1 && sw == 1) {
                rowKernel = new int[values.length][];
                for (int c = 0; c < values.length; c++) {
                    rowKernel[c] = rowMajorFlipped(values[c]);
                }
            } else {
                rowKernel = null;
            }
        }
    }

    private int[] rowMajorFlipped(int[] k) {
        int[] r = new int[k.length];
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                for (int ci = 0; ci < cin; ci++) {
                    System.arraycopy(k, ((ky * kw + kx) * cin + ci) * cout, r, ((ky * cin + ci) * kw + (kw - 1 - kx)) * cout,
                            cout);
                }
            }
        }
        return r;
    }

    public String name() {
        return plan.name();
    }

    /** The bundle layer that holds this population's weights. */
    public String weightedLayer() {
        return plan.weighted().name();
    }

    public int size() {
        return out;
    }

    public boolean spiking() {
        return spiking;
    }

    public int weightExp() {
        return weightExp;
    }

    public int biasExp() {
        return biasExp;
    }

    public int decayU() {
        return decayU;
    }

    public int decayV() {
        return decayV;
    }

    public int refractoryDelay() {
        return refractoryDelay;
    }

    public int thresholdMantissa() {
        return thresholdMantissa;
    }

    public double scale() {
        return scale;
    }

    /** A copy of the weight mantissas (divisor class 0). */
    public int[] weightMantissas() {
        return weightMantissas(0);
    }

    /** Weight copies, one per pool divisor class (1 unless a pool leaves its padding out of the divisor). */
    public int weightCopies() {
        return classMantissas.length;
    }

    /** Divisor of class c (the pools' 1/divisor is folded into that copy's weights). */
    public int divisor(int c) {
        return divisors.values()[c];
    }

    /** A copy of class c's mantissas. */
    public int[] weightMantissas(int c) {
        return classMantissas[c].clone();
    }

    public int weightExp(int c) {
        return classExp[c];
    }

    public int[] biasMantissas() {
        return biasMantissa.clone();
    }

    /**
     * {@code acc[targets of input i] += c * mantissa}. The count c is the number of spikes that
     * reached input axon i this step (a pooled cell collects several), negative for off-spikes.
     *
     * @param scratch at least {@link #size()} long, contents undefined
     * @return synaptic events (weights touched)
     */
    int scatter(int i, int c, int[] acc, int[] scratch) {
        final int cls = divisors.classOf(i);
        if (kind == 0) {
            IntAxpy.axpy(acc, 0, values[cls], i * out, out, c, scratch);
            return out;
        }
        int ci = i % cin;
        int pix = i / cin;
        int ix = pix % w;
        int iy = pix / w;
        int oyLo = Math.max(0, Conv2d.ceilDiv(iy + ph - kh + 1, sh));
        int oyHi = Math.min(oh - 1, Math.floorDiv(iy + ph, sh));
        int oxLo = Math.max(0, Conv2d.ceilDiv(ix + pw - kw + 1, sw));
        int oxHi = Math.min(ow - 1, Math.floorDiv(ix + pw, sw));
        if (oyLo > oyHi || oxLo > oxHi) {
            return 0;
        }
        int events = 0;
        if (rowKernel != null) {
            final int[] rk = rowKernel[cls];
            int run = (oxHi - oxLo + 1) * cout;
            int kxFlipped = kw - 1 - (ix + pw - oxLo);
            for (int oy = oyLo; oy <= oyHi; oy++) {
                int ky = iy + ph - oy * sh;
                int wr = ((ky * cin + ci) * kw + kxFlipped) * cout;
                int ob = (oy * ow + oxLo) * cout;
                IntAxpy.axpy(acc, ob, rk, wr, run, c, scratch);
                events += run;
            }
            return events;
        }
        final int[] wt = values[cls];
        for (int oy = oyLo; oy <= oyHi; oy++) {
            int ky = iy + ph - oy * sh;
            for (int ox = oxLo; ox <= oxHi; ox++) {
                int kx = ix + pw - ox * sw;
                int k = (ky * kw + kx) * cin + ci;
                if (kind == 2) {
                    k += (oy * ow + ox) * kh * kw * cin;
                }
                int wb = k * cout;
                int ob = (oy * ow + ox) * cout;
                IntAxpy.axpy(acc, ob, wt, wb, cout, c, scratch);
                events += cout;
            }
        }
        return events;
    }

    /**
     * Routes a spike count through pool j: every pooled cell whose window covers input i gets c
     * more spikes on its axon. Returns the taps touched (counted as synaptic events, as the float
     * backend counts pooling taps).
     */
    int pool(int j, int i, int c, int[] counts, SparseSet touched) {
        LayerSpec p = plan.pools().get(j);
        int pwid = p.inShape()[1], ch = p.inShape()[2];
        int k = p.kernel()[0], s = p.stride()[0], pad = p.padding()[0];
        int poh = p.outShape()[0], pow = p.outShape()[1];
        int chan = i % ch;
        int pix = i / ch;
        int ix = pix % pwid;
        int iy = pix / pwid;
        int oyLo = Math.max(0, Conv2d.ceilDiv(iy + pad - k + 1, s));
        int oyHi = Math.min(poh - 1, Math.floorDiv(iy + pad, s));
        int oxLo = Math.max(0, Conv2d.ceilDiv(ix + pad - k + 1, s));
        int oxHi = Math.min(pow - 1, Math.floorDiv(ix + pad, s));
        int events = 0;
        for (int oy = oyLo; oy <= oyHi; oy++) {
            for (int ox = oxLo; ox <= oxHi; ox++) {
                int o = (oy * pow + ox) * ch + chan;
                counts[o] += c;
                touched.add(o);
                events++;
            }
        }
        return events;
    }
}
