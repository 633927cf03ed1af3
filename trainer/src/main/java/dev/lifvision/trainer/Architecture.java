package dev.lifvision.trainer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A network to train, as written in an architecture file (YAML or JSON; see
 * {@code trainer/architectures/}). Everything is checked when the file is read, before any data
 * is loaded, and each error names the file and the key.
 */
public record Architecture(String name, String description, Input input, Neuron neuron, List<Layer> layers,
                           Training training, Simulation simulation) {

    /**
     * Network input and its preprocessing; {@code crop} set means training on random crops of the
     * source; {@code shift} > 0 moves each training image by up to that many pixels in x and y,
     * the uncovered border set to 0 in network units (the background of MNIST, the mean pixel of a
     * mean-subtracted input). Test time sees neither.
     */
    public record Input(int height, int width, int channels, double scale, double offset, boolean perPixelMean,
                        int cropHeight, int cropWidth, boolean flip, int shift) {
        public boolean augmented() {
            return cropped() || flip || shift > 0;
        }

        public boolean cropped() {
            return cropHeight > 0;
        }

        public int netHeight() {
            return cropped() ? cropHeight : height;
        }

        public int netWidth() {
            return cropped() ? cropWidth : width;
        }
    }

    /**
     * Hidden-layer neurons: softlif (the method), lif (hard rate) or relu, with training noise: Gaussian of
     * sigma Hz ({@code noise} {@value SoftLifActivation#NOISE_GAUSSIAN}) or a filtered spike train
     * ({@code spikes:alpha:TAU}, {@code spikes:lowpass:TAU}; see {@link SoftLifActivation}).
     */
    public record Neuron(String type, double tauRc, double tauRef, double gain, double amplitude, double gamma,
                         double noiseSigma, String noise) {
        /** The same neuron of another type (the training noise kept). */
        public Neuron withType(String newType) {
            return new Neuron(newType, tauRc, tauRef, gain, amplitude, gamma, noiseSigma, noise);
        }
    }

    /**
     * type: conv2d, locally_connected, avgpool, dense, dropout, output. {@code batchNorm} (conv2d and
     * dense): batch normalisation between the layer's weights and its neurons while training, folded
     * into the weights and biases at export, so the node sees a plain layer.
     */
    public record Layer(String type, int filters, int kernel, int stride, int padding, int units, double rate,
                        boolean batchNorm) {
        Layer withoutBatchNorm() {
            return new Layer(type, filters, kernel, stride, padding, units, rate, false);
        }
    }

    /**
     * The same network with batch normalisation folded away: what a bundle holds, so the shape to
     * load one into for fine-tuning.
     */
    public Architecture withoutBatchNorm() {
        return new Architecture(name, description, input, neuron,
                layers.stream().map(Layer::withoutBatchNorm).toList(), training, simulation);
    }

    /**
     * @param averageFrom first epoch whose weights enter the export's weight average (stochastic weight
     *                    averaging over the last epochs), 0: none; see {@link Trainer}
     */
    public record Training(String optimizer, double learningRate, double momentum, List<Integer> decayEpochs,
                           double decayFactor, int batch, int epochs, int patience, double weightDecay,
                           int validation, long seed, int averageFrom) {
    }

    public record Simulation(double dt, String synapse, double presentation, double readoutStart, double readoutEnd) {
    }

    private static final Set<String> LAYER_TYPES = Set.of("conv2d", "locally_connected", "avgpool", "dense",
            "dropout", "output");

    public static Architecture load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": architecture file not found");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    /** A shipped architecture by name (mnist-paper, mnist-small, cifar10-paper, cifar10-conv, cifar10-small) or a file path. */
    public static Architecture resolve(String ref) throws IOException {
        Path p = Path.of(ref);
        if (Files.isRegularFile(p)) {
            return load(p);
        }
        try (InputStream in = Architecture.class.getResourceAsStream("/architectures/" + ref + ".yaml")) {
            if (in == null) {
                throw new IOException("architecture '" + ref + "' is neither a file nor a shipped name "
                        + "(mnist-paper, mnist-small, cifar10-paper, cifar10-conv, cifar10-small)");
            }
            return parse(in, ref + ".yaml");
        }
    }

    static Architecture parse(InputStream in, String where) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        JsonNode root;
        try {
            root = yaml.readTree(in);
        } catch (IOException e) {
            throw new IOException(where + ": not valid YAML/JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(where + ": expected a mapping at the top level");
        }
        return new Reader(where, root).read();
    }

    /** Reads with defaults and names the key of every problem. */
    private static final class Reader {
        final String where;
        final JsonNode root;

        Reader(String where, JsonNode root) {
            this.where = where;
            this.root = root;
        }

        boolean bool(JsonNode parent, String key, String path) throws IOException {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return false;
            }
            if (!n.isBoolean()) {
                throw bad(path, "expected true or false, got '" + n.asText() + "'");
            }
            return n.asBoolean();
        }

        IOException bad(String key, String what) {
            return new IOException(where + ": " + key + ": " + what);
        }

        JsonNode obj(JsonNode parent, String key, String path) throws IOException {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            }
            if (!n.isObject()) {
                throw bad(path, "expected a mapping");
            }
            return n;
        }

        double num(JsonNode parent, String key, String path, double def, double min, double max) throws IOException {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return def;
            }
            if (!n.isNumber()) {
                throw bad(path, "expected a number, got '" + n.asText() + "'");
            }
            double v = n.asDouble();
            if (!(v >= min && v <= max)) {
                throw bad(path, v + " is out of range [" + min + ", " + max + "]");
            }
            return v;
        }

        int integer(JsonNode parent, String key, String path, int def, int min, int max) throws IOException {
            double v = num(parent, key, path, def, min, max);
            if (v != Math.rint(v)) {
                throw bad(path, "expected a whole number, got " + v);
            }
            return (int) v;
        }

        String text(JsonNode parent, String key, String path, String def, Set<String> allowed) throws IOException {
            JsonNode n = parent.get(key);
            String v = n == null || n.isNull() ? def : n.asText().toLowerCase(Locale.ROOT);
            if (allowed != null && !allowed.contains(v)) {
                throw bad(path, "unknown value '" + v + "' (expected one of " + new java.util.TreeSet<>(allowed) + ")");
            }
            return v;
        }

        void onlyKeys(JsonNode n, String path, String... keys) throws IOException {
            Set<String> ok = Set.of(keys);
            var it = n.fieldNames();
            while (it.hasNext()) {
                String k = it.next();
                if (!ok.contains(k)) {
                    throw bad(path.isEmpty() ? k : path + "." + k, "unknown key (expected one of " + new java.util.TreeSet<>(ok) + ")");
                }
            }
        }

        Architecture read() throws IOException {
            onlyKeys(root, "", "name", "description", "input", "neuron", "layers", "training", "simulation");
            String name = text(root, "name", "name", null, null);
            if (name == null || name.isBlank()) {
                throw bad("name", "missing");
            }
            JsonNode in = obj(root, "input", "input");
            onlyKeys(in, "input", "height", "width", "channels", "scale", "offset", "mean", "crop", "flip", "shift");
            JsonNode crop = in.get("crop");
            int ch = 0, cw = 0;
            if (crop != null && !crop.isNull()) {
                if (!crop.isArray() || crop.size() != 2 || !crop.get(0).isInt() || !crop.get(1).isInt()) {
                    throw bad("input.crop", "expected [height, width]");
                }
                ch = crop.get(0).asInt();
                cw = crop.get(1).asInt();
            }
            Input input = new Input(integer(in, "height", "input.height", 0, 1, 4096),
                    integer(in, "width", "input.width", 0, 1, 4096),
                    integer(in, "channels", "input.channels", 0, 1, 3),
                    num(in, "scale", "input.scale", 1.0 / 255, -1e6, 1e6), num(in, "offset", "input.offset", 0, -1e6, 1e6),
                    text(in, "mean", "input.mean", "none", Set.of("none", "per_pixel")).equals("per_pixel"),
                    ch, cw, in.has("flip") && in.get("flip").asBoolean(),
                    integer(in, "shift", "input.shift", 0, 0, 64));
            if (input.channels() == 2) {
                throw bad("input.channels", "must be 1 or 3");
            }
            if (input.cropped() && (ch > input.height() || cw > input.width() || ch < 1 || cw < 1)) {
                throw bad("input.crop", "[" + ch + ", " + cw + "] does not fit in the " + input.height() + "x" + input.width() + " input");
            }
            JsonNode nn = obj(root, "neuron", "neuron");
            onlyKeys(nn, "neuron", "type", "tau_rc", "tau_ref", "gain", "amplitude", "gamma", "noise_sigma", "noise");
            String noise = text(nn, "noise", "neuron.noise", SoftLifActivation.NOISE_GAUSSIAN, null);
            try {
                SoftLifActivation.parseNoise(noise);
            } catch (IllegalArgumentException e) {
                throw bad("neuron.noise", e.getMessage());
            }
            Neuron neuron = new Neuron(text(nn, "type", "neuron.type", "softlif", Set.of("softlif", "lif", "relu")),
                    num(nn, "tau_rc", "neuron.tau_rc", 0.022, 1e-5, 10), num(nn, "tau_ref", "neuron.tau_ref", 0.002, 0, 1),
                    num(nn, "gain", "neuron.gain", 1.0, 1e-6, 1e6), num(nn, "amplitude", "neuron.amplitude", 0.063, 1e-9, 1e6),
                    num(nn, "gamma", "neuron.gamma", 0.02, 0, 10), num(nn, "noise_sigma", "neuron.noise_sigma", 10, 0, 1e4),
                    noise);
            JsonNode ls = root.get("layers");
            if (ls == null || !ls.isArray() || ls.isEmpty()) {
                throw bad("layers", "expected a non-empty list");
            }
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i < ls.size(); i++) {
                String p = "layers[" + i + "]";
                JsonNode l = ls.get(i);
                if (!l.isObject()) {
                    throw bad(p, "expected a mapping");
                }
                String type = text(l, "type", p + ".type", null, null);
                if (type == null || !LAYER_TYPES.contains(type)) {
                    throw bad(p + ".type", "unknown layer type '" + type + "' (expected one of " + new java.util.TreeSet<>(LAYER_TYPES) + ")");
                }
                switch (type) {
                    case "conv2d" -> onlyKeys(l, p, "type", "filters", "kernel", "stride", "padding", "batch_norm");
                    case "locally_connected" -> onlyKeys(l, p, "type", "filters", "kernel", "stride", "padding");
                    case "avgpool" -> onlyKeys(l, p, "type", "size", "stride", "padding");
                    case "dense" -> onlyKeys(l, p, "type", "units", "batch_norm");
                    case "output" -> onlyKeys(l, p, "type", "units");
                    default -> onlyKeys(l, p, "type", "rate");
                }
                boolean pool = type.equals("avgpool");
                int kernel = integer(l, pool ? "size" : "kernel", p + (pool ? ".size" : ".kernel"),
                        type.equals("conv2d") || type.equals("locally_connected") || pool ? -1 : 0, -1, 64);
                if (kernel == -1) {
                    throw bad(p + (pool ? ".size" : ".kernel"), "missing");
                }
                layers.add(new Layer(type, integer(l, "filters", p + ".filters", type.contains("conv") || type.startsWith("local") ? -1 : 0, -1, 4096),
                        kernel, integer(l, "stride", p + ".stride", pool ? Math.max(1, kernel) : 1, 1, 64),
                        integer(l, "padding", p + ".padding", 0, 0, 64), integer(l, "units", p + ".units",
                        type.equals("dense") ? -1 : 0, -1, 1 << 20),
                        num(l, "rate", p + ".rate", 0.5, 0, 0.99), bool(l, "batch_norm", p + ".batch_norm")));
                Layer added = layers.get(layers.size() - 1);
                if (added.filters() == -1) {
                    throw bad(p + ".filters", "missing");
                }
                if (added.units() == -1) {
                    throw bad(p + ".units", "missing");
                }
            }
            if (!layers.get(layers.size() - 1).type().equals("output")) {
                throw bad("layers", "the last layer must be of type output (the linear classifier)");
            }
            for (int i = 0; i < layers.size() - 1; i++) {
                if (layers.get(i).type().equals("output")) {
                    throw bad("layers[" + i + "]", "only the last layer may be of type output");
                }
            }
            JsonNode tr = obj(root, "training", "training");
            onlyKeys(tr, "training", "optimizer", "learning_rate", "momentum", "decay_epochs", "decay_factor", "batch",
                    "epochs", "patience", "weight_decay", "validation", "seed", "average_from");
            List<Integer> decay = new ArrayList<>();
            JsonNode de = tr.get("decay_epochs");
            if (de != null && !de.isNull()) {
                if (!de.isArray()) {
                    throw bad("training.decay_epochs", "expected a list of epoch numbers");
                }
                for (JsonNode e : de) {
                    if (!e.isInt() || e.asInt() < 1) {
                        throw bad("training.decay_epochs", "'" + e.asText() + "' is not an epoch number >= 1");
                    }
                    decay.add(e.asInt());
                }
            }
            Training training = new Training(text(tr, "optimizer", "training.optimizer", "adam", Set.of("adam", "sgd")),
                    num(tr, "learning_rate", "training.learning_rate", 1e-3, 1e-8, 10),
                    num(tr, "momentum", "training.momentum", 0.9, 0, 0.999), decay,
                    num(tr, "decay_factor", "training.decay_factor", 0.1, 1e-6, 1),
                    integer(tr, "batch", "training.batch", 128, 1, 65536), integer(tr, "epochs", "training.epochs", 10, 1, 100000),
                    integer(tr, "patience", "training.patience", 5, 1, 100000),
                    num(tr, "weight_decay", "training.weight_decay", 0, 0, 1),
                    integer(tr, "validation", "training.validation", 5000, 0, 10_000_000),
                    (long) num(tr, "seed", "training.seed", 1, -9e15, 9e15),
                    integer(tr, "average_from", "training.average_from", 0, 0, 100000));
            if (training.averageFrom() > training.epochs()) {
                throw bad("training.average_from", training.averageFrom() + " is after the last epoch ("
                        + training.epochs() + ")");
            }
            JsonNode si = obj(root, "simulation", "simulation");
            onlyKeys(si, "simulation", "dt", "synapse", "presentation", "readout");
            double rs = 0.1, re = 0.2;
            JsonNode ro = si.get("readout");
            if (ro != null && !ro.isNull()) {
                if (!ro.isArray() || ro.size() != 2 || !ro.get(0).isNumber() || !ro.get(1).isNumber()) {
                    throw bad("simulation.readout", "expected [start, end] in seconds");
                }
                rs = ro.get(0).asDouble();
                re = ro.get(1).asDouble();
            }
            String synapse = text(si, "synapse", "simulation.synapse", "alpha:0.005", null);
            try {
                dev.lifvision.bundle.SynapseSpec.parse(synapse);
            } catch (IllegalArgumentException e) {
                throw bad("simulation.synapse", e.getMessage());
            }
            Simulation sim = new Simulation(num(si, "dt", "simulation.dt", 0.001, 1e-6, 1), synapse,
                    num(si, "presentation", "simulation.presentation", 0.2, 1e-6, 100), rs, re);
            return new Architecture(name, text(root, "description", "description", "", null), input, neuron,
                    List.copyOf(layers), training, sim);
        }
    }
}
