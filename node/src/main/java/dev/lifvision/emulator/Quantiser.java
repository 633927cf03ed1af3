package dev.lifvision.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.bundle.Tensor;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import dev.lifvision.neuron.SpikingNeurons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Float bundle to integer chip parameters (format: node/EMULATOR.md). Per on-chip population:
 *
 * <ul>
 * <li>The float neuron {@code tau_rc dV/dt = -V + J}, {@code J = gain (y + b) + bias_offset}, spiking
 * at V = 1, becomes {@code v <- v (1 - dv) + u + bias} with threshold {@code vth}: the steady state
 * {@code (u + bias) / dv} must equal {@code vth * J}, so {@code u = K y} with
 * {@code K = vth * dv * gain} and {@code bias = dv * vth * (gain b + bias_offset)}.</li>
 * <li>The float synapse {@code y <- a y + (1 - a) sum(w s)} becomes {@code u <- u (1 - du) + in}, so
 * one spike of value s on a weight w adds {@code w s du K} to the synaptic input.</li>
 * <li>K (through vth, a multiple of 64) is the largest value that keeps the biggest weight event at
 * most 1/8 of the synaptic input range (eight worst-case spikes in one step still fit), v below
 * 8 x threshold and the bias inside 12 bits x 2^7. The weights then get one exponent per layer:
 * the smallest that fits the largest mantissa into 8 bits.</li>
 * </ul>
 */
public final class Quantiser {
    private static final Logger log = LoggerFactory.getLogger(Quantiser.class);
    static final int VERSION = 1;
    /** The state ranges are split between threshold and headroom: v stays under 8 x threshold. */
    private static final int HEADROOM = 8;
    /**
     * The readout's u is probed, not thresholded, so a smaller scale costs nothing but resolution;
     * its input sums many synchronous spikes (a whole layer fires together after a reset).
     */
    private static final int READOUT_HEADROOM = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Quantiser() {
    }

    /** Which way the frame reaches the cores: spike-coded pixels, or the first layer on the host. */
    public enum InputPath {
        /** The first layer runs off-chip (float LIF on the host) and its spikes enter the chip. */
        HOST,
        /** The encoder's rate-coded pixel spikes enter the chip; every layer is on it. */
        SPIKES;

        static InputPath of(SimOptions o) {
            return o.coding() == InputCoding.CURRENT ? HOST : SPIKES;
        }
    }

    public static QuantisedNetwork quantise(Bundle bundle, ChipProfile chip, SimOptions options) {
        List<StagePlan> plans = StagePlan.of(bundle);
        InputPath path = InputPath.of(options);
        int first = path == InputPath.HOST ? 1 : 0;
        if (first >= plans.size()) {
            throw new IllegalArgumentException("network " + bundle.manifest().name() + " has a single layer: with the"
                    + " first layer on the host nothing is left for the chip; use spike input (--input regular)");
        }
        checkNeurons(plans, first);
        int decayU = decayU(chip, options);
        List<QuantisedLayer> layers = new ArrayList<>();
        for (int k = first; k < plans.size(); k++) {
            StagePlan p = plans.get(k);
            layers.add(quantiseLayer(bundle, chip, options, p, k == plans.size() - 1, spikeValue(plans, k, options),
                    decayU));
        }
        return new QuantisedNetwork(chip, path, options, floatHash(bundle), plans, layers, false);
    }

    /** Host spikes (or the encoder's) carry this value into stage k's synapses, in the float model. */
    static double spikeValue(List<StagePlan> plans, int k, SimOptions o) {
        if (k == 0) {
            return 1.0 / (o.inputRate() * o.dt());
        }
        return SpikingNeurons.of(plans.get(k - 1).neuron(), 1, o.dt()).spikeValue();
    }

    private static void checkNeurons(List<StagePlan> plans, int first) {
        for (int k = 0; k < plans.size() - 1; k++) {
            NeuronSpec n = plans.get(k).neuron();
            boolean lif = n.type().equals("lif") || n.type().equals("softlif");
            if (k >= first && !lif) {
                throw new IllegalArgumentException("layer " + plans.get(k).weighted().name() + ": neuron type "
                        + n.type() + " cannot run on the chip's LIF cores (only lif and softlif spike there)");
            }
            if (k < first && n.type().equals("linear")) {
                throw new IllegalArgumentException("layer " + plans.get(k).weighted().name()
                        + " is linear: the host layer must spike to feed the chip");
            }
        }
    }

    /** 12-bit current decay: {@code round((1 - exp(-dt/tau)) 4095 - 1)}; "none" decays fully each step. */
    static int decayU(ChipProfile chip, SimOptions o) {
        SynapseSpec s = o.synapse();
        if (s.type().equals("none")) {
            return chip.decayMax();
        }
        // alpha has no on-core equivalent (one current filter per compartment): same tau, first order
        double d = Math.round(-Math.expm1(-o.dt() / s.tau()) * chip.decayMax() - 1);
        return (int) Math.max(0, Math.min(chip.decayMax(), d));
    }

    static int decayV(ChipProfile chip, double dt, double tauRc) {
        return (int) Math.round(-Math.expm1(-dt / tauRc) * chip.decayMax());
    }

    static int refractoryDelay(ChipProfile chip, String layer, double dt, double tauRef) {
        long r = Math.round(tauRef / dt) + 1;
        if (r > chip.refractoryMax()) {
            throw new IllegalArgumentException("layer " + layer + ": refractory period " + tauRef + " s is " + r
                    + " steps of " + dt + " s, the " + chip.name() + " limit is " + chip.refractoryMax() + " steps");
        }
        return (int) r;
    }

    private static QuantisedLayer quantiseLayer(Bundle bundle, ChipProfile chip, SimOptions o, StagePlan p,
                                                boolean readout, double spikeValue, int decayU) {
        LayerSpec l = p.weighted();
        float[] w = Network.weights(bundle, l.weights());
        float[] b = expandedBias(bundle, l);
        StagePlan.PoolDivisors divisors = p.divisors();
        double maxW = 0;
        for (float v : w) {
            maxW = Math.max(maxW, Math.abs(v));
        }
        // the largest event a single spike can cause: through the smallest divisor (a pool's corner)
        maxW /= divisors.smallest();
        double du = (decayU + 1.0) / chip.decayOne();
        int shiftBase = chip.weightShiftBase();
        // exponent that puts the largest mantissa at its maximum with an event of at most 1/HEADROOM of the input range
        int eTarget = (int) Math.floor(Math.log((double) (chip.inputMax() + 1) / (readout ? READOUT_HEADROOM : HEADROOM)
                / chip.weightMantissaMax())
                / Math.log(2)) - shiftBase;
        eTarget = Math.max(chip.weightExpMin(), Math.min(chip.weightExpMax(), eTarget));
        double perUnitK = maxW * spikeValue * du; // weight event per unit of K
        double kW = perUnitK > 0 ? chip.weightMantissaMax() * Math.pow(2, shiftBase + eTarget) / perUnitK
                : Double.POSITIVE_INFINITY;
        double biasCap = (double) chip.biasMantissaMax() * (1 << chip.biasExpMax());
        NeuronSpec n = p.neuron();
        double k;
        int decayV = 0, refr = 0, vthMant = 0;
        double[] biasF = new double[b.length];
        if (!readout) {
            decayV = decayV(chip, o.dt(), n.tauRc());
            refr = refractoryDelay(chip, l.name(), o.dt(), n.tauRef());
            double dv = (double) decayV / chip.decayOne();
            if (decayV == 0) {
                throw new IllegalArgumentException("layer " + l.name() + ": tau_rc " + n.tauRc()
                        + " s rounds to no voltage decay at dt " + o.dt() + " s");
            }
            double maxJ = 0;
            for (float v : b) {
                maxJ = Math.max(maxJ, Math.abs(n.gain() * v + n.biasOffset()));
            }
            double vth = (chip.voltageMax() + 1.0) / HEADROOM;
            vth = Math.min(vth, kW / (dv * n.gain()));
            if (maxJ > 0) {
                vth = Math.min(vth, biasCap / (dv * maxJ));
            }
            vth = Math.min(vth, (double) chip.thresholdMantissaMax() * (1 << chip.thresholdShift()));
            vthMant = (int) Math.floor(vth / (1 << chip.thresholdShift()));
            if (vthMant < 1) {
                throw new IllegalArgumentException("layer " + l.name() + ": weights too large for the " + chip.name()
                        + " formats (threshold would round to 0)");
            }
            double vthInt = (double) vthMant * (1 << chip.thresholdShift());
            k = vthInt * dv * n.gain();
            for (int i = 0; i < b.length; i++) {
                biasF[i] = dv * vthInt * (n.gain() * b[i] + n.biasOffset());
            }
        } else {
            double maxB = 0;
            for (float v : b) {
                maxB = Math.max(maxB, Math.abs(v));
            }
            // the readout's u is probed, not thresholded: keep |pre-activation| up to 64 inside u's range
            k = Math.min(kW, (chip.currentMax() + 1.0) / 64);
            if (maxB > 0) {
                k = Math.min(k, biasCap / maxB);
            }
            for (int i = 0; i < b.length; i++) {
                biasF[i] = k * b[i];
            }
        }
        int[][] mant = new int[divisors.classes()][];
        int[] wExp = new int[divisors.classes()];
        for (int c = 0; c < mant.length; c++) {
            mant[c] = new int[w.length];
            wExp[c] = mantissas(chip, l.name(), w, spikeValue * du * k / divisors.values()[c], mant[c]);
        }
        int[] bMant = new int[b.length];
        int bExp = biasMantissas(chip, l.name(), biasF, bMant);
        return new QuantisedLayer(p, !readout, mant, wExp, bMant, bExp, decayU, decayV, refr, vthMant, k);
    }

    /**
     * Quantises {@code x[i] * scale} to mantissa times {@code 2^(shiftBase + exp)} with one exponent
     * for all: the smallest that keeps every rounded mantissa within its bits.
     */
    static int mantissas(ChipProfile chip, String layer, float[] x, double scale, int[] out) {
        double max = 0;
        for (float v : x) {
            max = Math.max(max, Math.abs(v * scale));
        }
        int mMax = chip.weightMantissaMax();
        int e = chip.weightExpMin();
        while (Math.round(max / Math.pow(2, chip.weightShiftBase() + e)) > mMax) {
            if (++e > chip.weightExpMax()) {
                throw new IllegalArgumentException("layer " + layer + ": weights need an exponent above "
                        + chip.weightExpMax());
            }
        }
        double step = Math.pow(2, chip.weightShiftBase() + e);
        for (int i = 0; i < x.length; i++) {
            out[i] = (int) Math.round(x[i] * scale / step);
        }
        return e;
    }

    static int biasMantissas(ChipProfile chip, String layer, double[] x, int[] out) {
        double max = 0;
        for (double v : x) {
            max = Math.max(max, Math.abs(v));
        }
        int e = 0;
        while (Math.round(max / (1 << e)) > chip.biasMantissaMax()) {
            if (++e > chip.biasExpMax()) {
                throw new IllegalArgumentException("layer " + layer + ": bias needs an exponent above "
                        + chip.biasExpMax());
            }
        }
        for (int i = 0; i < x.length; i++) {
            out[i] = (int) Math.round(x[i] / (1 << e));
        }
        return e;
    }

    /** Bias per neuron (a convolution's per-channel bias repeated over positions), as Network does. */
    static float[] expandedBias(Bundle bundle, LayerSpec l) {
        int n = l.outSize();
        float[] full = new float[n];
        if (l.bias() == null) {
            return full;
        }
        float[] b = bundle.tensor(l.bias()).floats();
        for (int i = 0; i < n; i++) {
            full[i] = b[i % b.length];
        }
        return full;
    }

    /**
     * SHA-256 over what the quantiser reads: each layer's geometry, neuron, weights (dequantised
     * floats, so an int8 and a float32 copy of the same weights agree) and bias. A retrain changes it.
     */
    public static String floatHash(Bundle bundle) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (LayerSpec l : bundle.manifest().layers()) {
                md.update((l.toString() + '\n').getBytes(StandardCharsets.UTF_8));
                if (l.weights() != null) {
                    update(md, Network.weights(bundle, l.weights()));
                }
                if (l.bias() != null) {
                    update(md, bundle.tensor(l.bias()).floats());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void update(MessageDigest md, float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            if (!buf.hasRemaining()) {
                md.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(f);
        }
        md.update(buf.array(), 0, buf.position());
    }

    /** Tensor names of the stored parameters of a layer. */
    static String weightTensor(String layer) {
        return "emu." + layer + ".w";
    }

    static String biasTensor(String layer) {
        return "emu." + layer + ".b";
    }

    /**
     * A new bundle: the given one plus the integer parameters as tensors ({@code emu.LAYER.w} int8
     * mantissas in the layer's weight layout, {@code emu.LAYER.b} int32 bias mantissas) and a
     * {@code calibration.emulator} section with the chip, the options quantised for, the scalar
     * parameters and the hash of the float weights. Earlier emulator tensors are replaced; other
     * calibration keys are kept.
     */
    public static Bundle store(Bundle bundle, QuantisedNetwork q) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        bundle.tensors().forEach((name, t) -> {
            if (!name.startsWith("emu.")) {
                tensors.put(name, t);
            }
        });
        ObjectNode sec = JSON.createObjectNode();
        sec.put("chip", q.chip().name());
        sec.put("quantiser_version", VERSION);
        sec.put("float_sha256", q.floatHash());
        SimOptions o = q.options();
        sec.put("dt", o.dt());
        sec.put("synapse", synapseText(o.synapse()));
        sec.put("input_path", q.inputPath().name().toLowerCase(Locale.ROOT));
        sec.put("input_rate", o.inputRate());
        ArrayNode arr = sec.putArray("layers");
        for (QuantisedLayer l : q.layers()) {
            LayerSpec spec = l.plan.weighted();
            int[] shape = bundle.tensor(spec.weights()).shape();
            tensors.put(weightTensor(spec.name()), Tensor.ofInt8(shape, int8(l.classMantissas[0])));
            tensors.put(biasTensor(spec.name()), Tensor.ofInt32(new int[]{l.biasMantissa.length}, l.biasMantissa.clone()));
            ObjectNode n = arr.addObject();
            n.put("stage", l.plan.index());
            n.put("layer", spec.name());
            n.put("spiking", l.spiking);
            n.put("weights", weightTensor(spec.name()));
            n.put("weight_exp", l.weightExp(0));
            n.put("bias", biasTensor(spec.name()));
            n.put("bias_exp", l.biasExp);
            n.put("decay_u", l.decayU);
            n.put("decay_v", l.decayV);
            n.put("refractory_delay", l.refractoryDelay);
            n.put("threshold_mantissa", l.thresholdMantissa);
            n.put("scale", l.scale);
            if (l.weightCopies() > 1) {
                // one weight copy per pool divisor class: class 0 is "weights" above, the border ones here
                n.put("divisor", l.divisor(0));
                ArrayNode copies = n.putArray("border_weights");
                for (int c = 1; c < l.weightCopies(); c++) {
                    String t = weightTensor(spec.name()) + ".d" + l.divisor(c);
                    tensors.put(t, Tensor.ofInt8(shape, int8(l.classMantissas[c])));
                    copies.addObject().put("divisor", l.divisor(c)).put("weights", t).put("weight_exp", l.weightExp(c));
                }
            }
        }
        JsonNode old = bundle.manifest().calibration();
        ObjectNode cal = old instanceof ObjectNode on ? on.deepCopy() : JSON.createObjectNode();
        cal.set("emulator", sec);
        return new Bundle(bundle.manifest().withCalibration(cal).withTensors(null), tensors);
    }

    private static byte[] int8(int[] mantissas) {
        byte[] m = new byte[mantissas.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) mantissas[i];
        }
        return m;
    }

    static int ceilDivPositive(int a, int b) {
        return (a + b - 1) / b;
    }

    static String synapseText(SynapseSpec s) {
        return s.type().equals("none") ? "none" : s.type() + ":" + s.tau();
    }
}
