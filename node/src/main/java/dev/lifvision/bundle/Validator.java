package dev.lifvision.bundle;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Every semantic check of a bundle; stops at the first problem (see "What the validator rejects" in BUNDLE.md). */
final class Validator {
    static final Pattern TENSOR_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");
    private static final List<String> LAYER_TYPES = List.of("conv2d", "avgpool", "dense", "locally_connected");
    private static final List<String> NEURON_TYPES = List.of("lif", "softlif", "relu", "linear");
    private static final List<String> SYNAPSE_TYPES = List.of("none", "lowpass", "alpha");
    private static final List<String> MODES = List.of("reset", "continuous");
    private static final List<String> COLOR_ORDERS = List.of("gray", "rgb", "bgr");
    private static final List<String> RESIZES = List.of("stretch", "center_crop");

    private final Manifest m;
    private final Map<String, Tensor> tensors;
    private final String where;

    private Validator(Manifest m, Map<String, Tensor> tensors, String where) {
        this.m = m;
        this.tensors = tensors;
        this.where = where;
    }

    static void validate(Manifest m, Map<String, Tensor> tensors, String where) throws BundleException {
        new Validator(m, tensors, where).run();
    }

    private void run() throws BundleException {
        if (m.formatVersion() != Manifest.FORMAT_VERSION) {
            throw field("format_version", "unknown format_version " + m.formatVersion() + " (this node supports "
                    + Manifest.FORMAT_VERSION + ")");
        }
        check(m.name() != null && !m.name().isBlank(), "name", "missing or empty");
        labels();
        input();
        simulation();
        tensorIntegrity();
        layers();
    }

    private void labels() throws BundleException {
        check(m.labels() != null && !m.labels().isEmpty(), "labels", "missing or empty: a classifier needs labels");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < m.labels().size(); i++) {
            String label = m.labels().get(i);
            check(label != null && !label.isBlank(), "labels[" + i + "]", "null or blank label");
            check(seen.add(label), "labels[" + i + "]", "duplicate label \"" + label + "\"");
        }
    }

    private void input() throws BundleException {
        InputSpec in = m.input();
        check(in != null, "input", "missing");
        check(in.height() >= 1 && in.width() >= 1 && in.channels() >= 1, "input",
                "height, width and channels must be >= 1, found " + in.height() + "x" + in.width() + "x" + in.channels());
        oneOf(in.colorOrder(), COLOR_ORDERS, "input.color_order", "color_order");
        int channels = in.colorOrder().equals("gray") ? 1 : 3;
        check(in.channels() == channels, "input.channels",
                "color_order " + in.colorOrder() + " has " + channels + " channel(s), found channels " + in.channels());
        oneOf(in.resize(), RESIZES, "input.resize", "resize");
        check(Double.isFinite(in.scale()) && in.scale() != 0, "input.scale", "must be finite and non-zero, found " + in.scale());
        check(Double.isFinite(in.offset()), "input.offset", "must be finite, found " + in.offset());
        int[] src = in.sourceSize();
        check(src == null || (src.length == 2 && src[0] >= in.height() && src[1] >= in.width()), "input.source_size",
                "must be [h, w] no smaller than [height, width] = [" + in.height() + ", " + in.width() + "], found "
                        + Arrays.toString(src));
        if (in.meanTensor() != null) {
            int[] size = in.resizedSize();
            layerTensor("input.mean_tensor", in.meanTensor(), new int[]{size[0], size[1], in.channels()});
        }
    }

    private void simulation() throws BundleException {
        SimulationSpec s = m.simulation();
        check(s != null, "simulation", "missing");
        check(positive(s.dt()), "simulation.dt", "must be > 0 seconds, found " + s.dt());
        check(s.synapse() != null, "simulation.synapse", "missing");
        oneOf(s.synapse().type(), SYNAPSE_TYPES, "simulation.synapse.type", "synapse type");
        if (s.synapse().type().equals("none")) {
            check(s.synapse().tau() == 0, "simulation.synapse.tau", "must be 0 for synapse none, found " + s.synapse().tau());
        } else {
            check(positive(s.synapse().tau()), "simulation.synapse.tau", "must be > 0 seconds, found " + s.synapse().tau());
        }
        check(Double.isFinite(s.presentation()) && s.presentation() >= s.dt(), "simulation.presentation",
                "must be >= dt (" + s.dt() + "), found " + s.presentation());
        check(s.readoutStart() >= 0 && s.readoutStart() < s.readoutEnd(), "simulation.readout_start",
                "must satisfy 0 <= readout_start < readout_end (" + s.readoutEnd() + "), found " + s.readoutStart());
        check(s.readoutEnd() <= s.presentation(), "simulation.readout_end",
                "must be <= presentation (" + s.presentation() + "), found " + s.readoutEnd());
        oneOf(s.mode(), MODES, "simulation.mode", "mode");
    }

    /** manifest.tensors (when present) must describe exactly the tensors we hold; float data must be finite. */
    private void tensorIntegrity() throws BundleException {
        Map<String, TensorInfo> listed = m.tensors();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (!TENSOR_NAME.matcher(name).matches()) {
                throw tensor(name, "bad tensor name (allowed: letters, digits, _ . -, not starting with . or -)");
            }
            if (listed != null && !listed.containsKey(name)) {
                throw tensor(name, "not listed in manifest.json tensors");
            }
        }
        if (listed != null) {
            for (Map.Entry<String, TensorInfo> e : listed.entrySet()) {
                String name = e.getKey();
                TensorInfo info = e.getValue();
                Tensor t = tensors.get(name);
                if (t == null) {
                    throw field("tensors." + name, "listed, but the bundle has no entry " + name + ".npy");
                }
                check(info != null && info.dtype() != null && info.shape() != null && info.sha256() != null,
                        "tensors." + name, "needs dtype, shape and sha256");
                if (!info.dtype().equals(t.dtype()) || !Arrays.equals(info.shape(), t.shape())) {
                    throw tensor(name, "manifest.json tensors says " + info.dtype() + Arrays.toString(info.shape())
                            + ", the entry holds " + t.dtype() + Arrays.toString(t.shape()));
                }
                if (!info.sha256().equalsIgnoreCase(t.sha256())) {
                    throw tensor(name, "sha256 mismatch: manifest.json says " + info.sha256() + ", the data hashes to "
                            + t.sha256() + " (file corrupted or edited)");
                }
            }
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getValue().isFloat()) {
                float[] v = e.getValue().floats();
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isFinite(v[i])) {
                        throw tensor(e.getKey(), "tensor " + e.getKey() + " has " + v[i] + " at flat index " + i);
                    }
                }
            }
        }
    }

    private void layers() throws BundleException {
        check(m.layers() != null && !m.layers().isEmpty(), "layers", "missing or empty");
        InputSpec in = m.input();
        int[] prev = {in.height(), in.width(), in.channels()};
        String prevWhat = "input [height, width, channels]";
        Set<String> names = new HashSet<>();
        String f = null;
        for (int i = 0; i < m.layers().size(); i++) {
            LayerSpec l = m.layers().get(i);
            f = "layers[" + i + "]" + (l == null || l.name() == null ? "" : " (" + l.name() + ")");
            check(l != null, f, "null layer");
            check(l.name() != null && !l.name().isBlank(), f + ".name", "missing or empty");
            check(names.add(l.name()), f + ".name", "duplicate layer name");
            oneOf(l.type(), LAYER_TYPES, f + ".type", "layer type");
            check(l.inShape() != null, f + ".in_shape", "missing");
            check(Arrays.equals(l.inShape(), prev), f + ".in_shape", "expected " + Arrays.toString(prev)
                    + " (" + prevWhat + "), found " + Arrays.toString(l.inShape()));
            check(l.outShape() != null, f + ".out_shape", "missing");
            if (l.type().equals("dense")) {
                dense(f, l);
            } else {
                windowed(f, l);
            }
            prev = l.outShape();
            prevWhat = "out_shape of " + l.name();
        }
        LayerSpec last = m.layers().get(m.layers().size() - 1);
        check(last.outSize() == m.labels().size(), f + ".out_shape", "the last layer has " + last.outSize()
                + " outputs but there are " + m.labels().size() + " labels");
    }

    private void dense(String f, LayerSpec l) throws BundleException {
        check(l.outShape().length == 1 && l.outShape()[0] >= 1, f + ".out_shape",
                "a dense layer's out_shape is [units >= 1], found " + Arrays.toString(l.outShape()));
        int units = l.outShape()[0];
        neuron(f, l.neuron());
        layerTensor(f + ".weights", l.weights(), new int[]{l.inSize(), units});
        layerTensor(f + ".bias", l.bias(), new int[]{units});
    }

    private void windowed(String f, LayerSpec l) throws BundleException {
        int[] in = l.inShape();
        check(in.length == 3, f + ".in_shape", "must be [h, w, c], found " + Arrays.toString(in));
        check(l.outShape().length == 3 && l.outShape()[2] >= 1, f + ".out_shape",
                "must be [h, w, c] with c >= 1, found " + Arrays.toString(l.outShape()));
        int[][] params = {l.kernel(), l.stride(), l.padding()};
        String[] keys = {"kernel", "stride", "padding"};
        for (int k = 0; k < 3; k++) {
            int min = k == 2 ? 0 : 1;
            check(params[k] != null && params[k].length == 2 && params[k][0] >= min && params[k][1] >= min,
                    f + "." + keys[k], "must be [h, w] with values >= " + min + ", found "
                            + (params[k] == null ? "nothing" : Arrays.toString(params[k])));
        }
        int[] kernel = l.kernel(), stride = l.stride(), pad = l.padding();
        for (int a = 0; a < 2; a++) {
            check(in[a] + 2 * pad[a] >= kernel[a], f + ".kernel", "kernel " + Arrays.toString(kernel)
                    + " is larger than the padded input " + Arrays.toString(in));
        }
        boolean pool = l.type().equals("avgpool");
        int channels = pool ? in[2] : l.outShape()[2];
        int oh = LayerSpec.outDim(in[0], kernel[0], stride[0], pad[0]);
        int ow = LayerSpec.outDim(in[1], kernel[1], stride[1], pad[1]);
        int[] expected = {oh, ow, channels};
        check(Arrays.equals(expected, l.outShape()), f + ".out_shape", "expected " + Arrays.toString(expected)
                + " from in_shape, kernel, stride and padding, found " + Arrays.toString(l.outShape()));
        if (pool) {
            // A window lying wholly in the padding would divide by zero when padding is not counted.
            check(pad[0] < kernel[0] && pad[1] < kernel[1], f + ".padding", "must be smaller than the kernel");
            check(l.weights() == null && l.bias() == null, f + ".weights", "avgpool takes no weights or bias");
            check(l.neuron() == null, f + ".neuron", "avgpool takes no neuron");
            return;
        }
        neuron(f, l.neuron());
        int cin = in[2];
        if (l.type().equals("conv2d")) {
            layerTensor(f + ".weights", l.weights(), new int[]{kernel[0], kernel[1], cin, channels});
            layerTensor(f + ".bias", l.bias(), new int[]{channels});
        } else {
            layerTensor(f + ".weights", l.weights(), new int[]{oh, ow, kernel[0], kernel[1], cin, channels});
            layerTensor(f + ".bias", l.bias(), new int[]{oh, ow, channels});
        }
    }

    private void neuron(String f, NeuronSpec n) throws BundleException {
        String p = f + ".neuron";
        check(n != null, p, "missing (use type \"linear\" for none)");
        oneOf(n.type(), NEURON_TYPES, p + ".type", "neuron type");
        if (n.type().equals("lif") || n.type().equals("softlif")) {
            check(positive(n.tauRc()), p + ".tau_rc", "must be > 0 seconds, found " + n.tauRc());
            check(nonNegative(n.tauRef()), p + ".tau_ref", "must be >= 0 seconds, found " + n.tauRef());
            check(positive(n.gain()), p + ".gain", "must be > 0, found " + n.gain());
            check(Double.isFinite(n.biasOffset()), p + ".bias_offset", "must be finite, found " + n.biasOffset());
            check(positive(n.amplitude()), p + ".amplitude", "must be > 0, found " + n.amplitude());
            check(nonNegative(n.gamma()), p + ".gamma", "must be >= 0, found " + n.gamma());
        }
    }

    /** Layer parameters and the input mean are float tensors of an exact shape. */
    private void layerTensor(String field, String name, int[] shape) throws BundleException {
        check(name != null, field, "missing: expected a tensor of shape " + Arrays.toString(shape));
        Tensor t = tensors.get(name);
        check(t != null, field, "references tensor " + name + ", which is not in the bundle (no entry " + name + ".npy)");
        if (t.dtype().equals("int8") && field.endsWith(".weights")) {
            // quantised weights: q * scale[output channel], the scale in tensor NAME.scale
            String scaleName = name + ".scale";
            Tensor scale = tensors.get(scaleName);
            check(scale != null, field, "int8 weights " + name + " need a float tensor " + scaleName
                    + " of shape [" + shape[shape.length - 1] + "] (one scale per output channel)");
            if (!scale.isFloat() || scale.shape().length != 1 || scale.shape()[0] != shape[shape.length - 1]) {
                throw tensor(scaleName, "must be a float tensor of shape [" + shape[shape.length - 1] + "], found "
                        + scale.dtype() + " " + Arrays.toString(scale.shape()));
            }
            for (float v : scale.floats()) {
                if (!(v > 0) || !Float.isFinite(v)) {
                    throw tensor(scaleName, "scales must be finite and > 0, found " + v);
                }
            }
        } else if (!t.isFloat()) {
            throw tensor(name, "used as " + field + " but has dtype " + t.dtype() + " (must be float32 or float16"
                    + (field.endsWith(".weights") ? ", or int8 with a " + name + ".scale tensor)" : ")"));
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw tensor(name, "shape mismatch for " + field + ": expected " + Arrays.toString(shape)
                    + ", found " + Arrays.toString(t.shape()));
        }
    }

    private void oneOf(String value, List<String> allowed, String field, String what) throws BundleException {
        check(value != null, field, "missing (one of " + String.join(", ", allowed) + ")");
        check(allowed.contains(value), field, "unknown " + what + " \"" + value + "\" (known: "
                + String.join(", ", allowed) + ")");
    }

    private static boolean positive(double v) {
        return v > 0 && Double.isFinite(v);
    }

    private static boolean nonNegative(double v) {
        return v >= 0 && Double.isFinite(v);
    }

    private void check(boolean ok, String field, String problem) throws BundleException {
        if (!ok) {
            throw field(field, problem);
        }
    }

    private BundleException field(String field, String problem) {
        return new BundleException(where, Json.ENTRY + ": " + field, problem);
    }

    private BundleException tensor(String name, String problem) {
        return new BundleException(where, name + ".npy", problem);
    }
}
