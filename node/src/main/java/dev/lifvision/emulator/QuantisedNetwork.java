package dev.lifvision.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.Tensor;
import dev.lifvision.emulator.Quantiser.InputPath;
import dev.lifvision.network.AvgPool2d;
import dev.lifvision.network.Conv2d;
import dev.lifvision.network.Dense;
import dev.lifvision.network.LinearOp;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A network's integer parameters for one chip and one set of options (dt, synapse, input path):
 * the on-chip layers, plus the float first layer when it runs on the host. Immutable apart from
 * the overflow counters, which every simulator built on it adds to once per frame.
 */
public final class QuantisedNetwork {
    private static final Logger log = LoggerFactory.getLogger(QuantisedNetwork.class);
    /** Overflow counters per layer: synaptic input, current u, voltage v. */
    public static final String[] STATES = {"input", "u", "v"};

    private final ChipProfile chip;
    private final InputPath path;
    private final SimOptions options;
    private final String floatHash;
    private final List<StagePlan> plans;
    private final List<QuantisedLayer> layers;
    private final boolean stored;
    private final AtomicLongArray overflows;
    // host layer (InputPath.HOST): float ops and bias of stage 0
    final LinearOp[] hostOps;
    final float[] hostBias;

    QuantisedNetwork(ChipProfile chip, InputPath path, SimOptions options, String floatHash, List<StagePlan> plans,
                     List<QuantisedLayer> layers, boolean stored) {
        this.chip = chip;
        this.path = path;
        this.options = options;
        this.floatHash = floatHash;
        this.plans = List.copyOf(plans);
        this.layers = List.copyOf(layers);
        this.stored = stored;
        this.overflows = new AtomicLongArray(3 * layers.size());
        this.hostOps = null;
        this.hostBias = null;
    }

    private QuantisedNetwork(QuantisedNetwork q, LinearOp[] hostOps, float[] hostBias) {
        this.chip = q.chip;
        this.path = q.path;
        this.options = q.options;
        this.floatHash = q.floatHash;
        this.plans = q.plans;
        this.layers = q.layers;
        this.stored = q.stored;
        this.overflows = q.overflows;
        this.hostOps = hostOps;
        this.hostBias = hostBias;
    }

    /** The same parameters with the host layer's float ops attached (built from the bundle). */
    QuantisedNetwork withHost(Bundle bundle) {
        if (path != InputPath.HOST || hostOps != null) {
            return this;
        }
        StagePlan p = plans.get(0);
        List<LinearOp> ops = new ArrayList<>();
        for (LayerSpec l : p.pools()) {
            ops.add(new AvgPool2d(l.inShape(), l.outShape(), l.kernel()[0], l.stride()[0], l.padding()[0],
                    l.countIncludePad()));
        }
        LayerSpec l = p.weighted();
        float[] w = Network.weights(bundle, l.weights());
        ops.add(switch (l.type()) {
            case "dense" -> new Dense(l.inSize(), l.outSize(), w);
            case "conv2d" -> new Conv2d(l.inShape(), l.outShape(), l.kernel(), l.stride(), l.padding(), w, false);
            default -> new Conv2d(l.inShape(), l.outShape(), l.kernel(), l.stride(), l.padding(), w, true);
        });
        return new QuantisedNetwork(this, ops.toArray(new LinearOp[0]), Quantiser.expandedBias(bundle, l));
    }

    /**
     * The parameters for running {@code bundle}: the stored ones when the bundle has them for this
     * chip and these options, else quantised now (with a warning: calibration stores them once).
     *
     * @throws IllegalArgumentException when stored parameters do not match the float weights (the
     *                                  bundle was retrained after calibration)
     */
    public static QuantisedNetwork load(Bundle bundle, ChipProfile chip, SimOptions options) {
        JsonNode cal = bundle.manifest().calibration();
        JsonNode sec = cal == null ? null : cal.get("emulator");
        String name = bundle.manifest().name();
        if (sec == null || !sec.isObject()) {
            log.warn("model {}: no stored {} parameters; quantising at load (run lifvision-calibrate to store them)",
                    name, chip.name());
            return Quantiser.quantise(bundle, chip, options).withHost(bundle);
        }
        String hash = Quantiser.floatHash(bundle);
        if (!hash.equals(sec.path("float_sha256").asText())) {
            throw new IllegalArgumentException("model " + name + ": the stored emulator parameters are stale: they were"
                    + " quantised from other float weights (float hash " + abbreviate(sec.path("float_sha256").asText())
                    + ", the bundle's weights hash to " + abbreviate(hash) + "); re-run lifvision-calibrate on this bundle");
        }
        String why = mismatch(sec, chip, options);
        if (why != null) {
            log.warn("model {}: stored emulator parameters are for {}; quantising at load for these options", name, why);
            return Quantiser.quantise(bundle, chip, options).withHost(bundle);
        }
        return fromStored(bundle, chip, options, sec, hash).withHost(bundle);
    }

    private static String abbreviate(String h) {
        return h.length() > 12 ? h.substring(0, 12) + "..." : h;
    }

    /** Null when the stored parameters fit this chip and these options, else what differs. */
    private static String mismatch(JsonNode sec, ChipProfile chip, SimOptions o) {
        if (!chip.name().equals(sec.path("chip").asText())) {
            return "chip " + sec.path("chip").asText();
        }
        if (sec.path("quantiser_version").asInt() != Quantiser.VERSION) {
            return "quantiser version " + sec.path("quantiser_version").asInt();
        }
        if (Math.abs(sec.path("dt").asDouble() - o.dt()) > 1e-12) {
            return "dt " + sec.path("dt").asDouble();
        }
        if (!Quantiser.synapseText(o.synapse()).equals(sec.path("synapse").asText())) {
            return "synapse " + sec.path("synapse").asText();
        }
        InputPath path = InputPath.of(o);
        if (!path.name().toLowerCase(Locale.ROOT).equals(sec.path("input_path").asText())) {
            return "input path " + sec.path("input_path").asText();
        }
        if (path == InputPath.SPIKES && Math.abs(sec.path("input_rate").asDouble() - o.inputRate()) > 1e-9) {
            return "input rate " + sec.path("input_rate").asDouble();
        }
        return null;
    }

    private static QuantisedNetwork fromStored(Bundle bundle, ChipProfile chip, SimOptions o, JsonNode sec,
                                               String hash) {
        List<StagePlan> plans = StagePlan.of(bundle);
        List<QuantisedLayer> layers = new ArrayList<>();
        JsonNode arr = sec.path("layers");
        int first = InputPath.of(o) == InputPath.HOST ? 1 : 0;
        if (arr.size() != plans.size() - first) {
            throw new IllegalArgumentException("model " + bundle.manifest().name() + ": stored emulator parameters have "
                    + arr.size() + " layers, the network puts " + (plans.size() - first)
                    + " on the chip; re-run lifvision-calibrate");
        }
        for (int i = 0; i < arr.size(); i++) {
            JsonNode n = arr.get(i);
            StagePlan p = plans.get(first + i);
            String layer = p.weighted().name();
            if (!layer.equals(n.path("layer").asText())) {
                throw new IllegalArgumentException("model " + bundle.manifest().name() + ": stored emulator layer " + i
                        + " is " + n.path("layer").asText() + ", expected " + layer + "; re-run lifvision-calibrate");
            }
            Tensor wt = bundle.tensor(n.path("weights").asText());
            int[] w = wt.ints();
            int[] b = bundle.tensor(n.path("bias").asText()).ints().clone();
            int wExp = n.path("weight_exp").asInt();
            int bExp = n.path("bias_exp").asInt();
            check(layer, w.length == bundle.tensor(p.weighted().weights()).size(), "weight count");
            check(layer, b.length == p.size(), "bias count");
            check(layer, wExp >= chip.weightExpMin() && wExp <= chip.weightExpMax(), "weight exponent " + wExp);
            check(layer, bExp >= 0 && bExp <= chip.biasExpMax(), "bias exponent " + bExp);
            for (int v : b) {
                check(layer, Math.abs(v) <= chip.biasMantissaMax(), "bias mantissa " + v);
            }
            int vth = n.path("threshold_mantissa").asInt();
            check(layer, vth >= 0 && vth <= chip.thresholdMantissaMax(), "threshold mantissa " + vth);
            int refr = n.path("refractory_delay").asInt();
            check(layer, refr >= 0 && refr <= chip.refractoryMax(), "refractory delay " + refr);
            boolean spiking = n.path("spiking").asBoolean();
            check(layer, spiking == (first + i < plans.size() - 1), "spiking flag");
            StagePlan.PoolDivisors div = p.divisors();
            JsonNode border = n.path("border_weights");
            check(layer, border.size() == div.classes() - 1, border.size() + 1 + " weight copies for "
                    + div.classes() + " pool divisor classes");
            int[][] copies = new int[div.classes()][];
            int[] exps = new int[div.classes()];
            copies[0] = w;
            exps[0] = wExp;
            for (int c = 1; c < copies.length; c++) {
                JsonNode bw = border.get(c - 1);
                check(layer, bw.path("divisor").asInt() == div.values()[c], "border divisor "
                        + bw.path("divisor").asInt() + " (the pool's is " + div.values()[c] + ")");
                copies[c] = bundle.tensor(bw.path("weights").asText()).ints();
                exps[c] = bw.path("weight_exp").asInt();
                check(layer, copies[c].length == w.length, "border weight count");
                check(layer, exps[c] >= chip.weightExpMin() && exps[c] <= chip.weightExpMax(),
                        "weight exponent " + exps[c]);
            }
            layers.add(new QuantisedLayer(p, spiking, copies, exps, b, bExp, n.path("decay_u").asInt(),
                    n.path("decay_v").asInt(), refr, vth, n.path("scale").asDouble()));
        }
        return new QuantisedNetwork(chip, InputPath.of(o), o, hash, plans, layers, true);
    }

    private static void check(String layer, boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("layer " + layer + ": stored emulator parameter out of range or"
                    + " inconsistent: " + what + "; re-run lifvision-calibrate");
        }
    }

    public ChipProfile chip() {
        return chip;
    }

    public InputPath inputPath() {
        return path;
    }

    public SimOptions options() {
        return options;
    }

    /** Hash of the float weights these parameters were quantised from ({@link Quantiser#floatHash}). */
    public String floatHash() {
        return floatHash;
    }

    /** The on-chip layers, input side first. */
    public List<QuantisedLayer> layers() {
        return layers;
    }

    /** Network stage index of the first on-chip layer: 1 with the first layer on the host, else 0. */
    public int firstOnChip() {
        return path == InputPath.HOST ? 1 : 0;
    }

    /** Whether the parameters came from the bundle (true) or were quantised at load. */
    public boolean stored() {
        return stored;
    }

    List<StagePlan> plans() {
        return plans;
    }

    void addOverflows(long[] counts) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0 && overflows.addAndGet(i, counts[i]) == counts[i]) {
                // first overflow of this state in this layer: say so once, the counters keep the totals
                log.warn("emulator layer {}: {} exceeded its bit width and was saturated (counted in the overflow"
                        + " report)", layers.get(i / 3).name(), STATES[i % 3]);
            }
        }
    }

    /** Times a state hit its bit width (and was saturated) in on-chip layer {@code layer}, all simulators together. */
    public long overflows(int layer, int state) {
        return overflows.get(3 * layer + state);
    }

    public long totalOverflows() {
        long s = 0;
        for (int i = 0; i < overflows.length(); i++) {
            s += overflows.get(i);
        }
        return s;
    }

    /** One line per layer with overflows, or "no overflows". */
    public String overflowReport() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < layers.size(); k++) {
            for (int s = 0; s < 3; s++) {
                long n = overflows(k, s);
                if (n > 0) {
                    sb.append(sb.length() == 0 ? "" : "; ").append(layers.get(k).name()).append(' ')
                            .append(STATES[s]).append(' ').append(n).append('x');
                }
            }
        }
        return sb.length() == 0 ? "no overflows" : sb.toString();
    }
}
