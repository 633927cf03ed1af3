package dev.lifvision.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.capture.CameraSettings;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.publish.MqttSettings;
import dev.lifvision.readout.ReadoutSettings;
import dev.lifvision.record.CaptureSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's one config file (documented with every default in {@code launch/node.example.yaml}).
 *
 * <p>Two ways to keep secrets and per-robot values out of the file: {@code ${VAR}} or
 * {@code ${VAR:-default}} inside any value, and whole-key overrides from variables named
 * {@code LIFVISION__SECTION__KEY} (double underscores between levels, e.g.
 * {@code LIFVISION__MQTT__BROKER=ssl://broker:8883}). Relative paths are relative to the config
 * file's folder.
 */
public record NodeConfig(Path file, String nodeId, String logLevel, ModelSettings model, ReadoutSettings readout,
                         List<CameraConfig> cameras, MqttConfig mqtt, CaptureSettings capture, MetricsSettings metrics) {

    public static final String ENV_PREFIX = "LIFVISION__";
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** How the model is chosen, found and run. Nulls mean "the bundle's default". */
    public record ModelSettings(String path, Path folder, boolean watch, String backend, InputCoding coding,
                                double inputRate, String mode, Double presentation, Double dt, SynapseSpec synapse,
                                double[] readoutWindow, boolean earlyDecision) {
    }

    /** One camera: where frames come from, which part of the frame is classified, and whether detection starts on. */
    public record CameraConfig(CameraSettings source, double[] roi, boolean detect) {
        public String name() {
            return source.name();
        }
    }

    public record MqttConfig(boolean enabled, MqttSettings client, boolean embedded, int embeddedPort, String topicPrefix,
                             int qos, boolean retain, Duration statsInterval, boolean homeAssistant,
                             String discoveryPrefix, int maxPayloadBytes) {
        /** {@code <prefix>/<node_id>}: every topic of this node starts with it. */
        public String base(String nodeId) {
            return topicPrefix + "/" + nodeId;
        }
    }

    public record MetricsSettings(boolean enabled, String bind, int port) {
    }

    public static NodeConfig load(Path file) throws IOException {
        return load(file, System.getenv());
    }

    public static NodeConfig load(Path file, Map<String, String> env) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": config file not found (see launch/node.example.yaml)");
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = new ObjectMapper().createObjectNode();
        }
        try {
            root = substitute(root, env, "");
            applyOverrides(root, env);
            Path dir = file.toAbsolutePath().getParent();
            return parse(file, new ConfigTree("", root), dir);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode substitute(JsonNode n, Map<String, String> env, String path) {
        if (n.isTextual()) {
            Matcher m = VAR.matcher(n.asText());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = env.get(m.group(1));
                if (v == null) {
                    v = m.group(3);
                }
                if (v == null) {
                    throw new IllegalArgumentException(path + ": environment variable " + m.group(1)
                            + " is not set (write ${" + m.group(1) + ":-default} to give a default)");
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            return TextNode.valueOf(sb.toString());
        }
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String k : names) {
                o.set(k, substitute(o.get(k), env, path.isEmpty() ? k : path + "." + k));
            }
        }
        if (n.isArray()) {
            var a = (com.fasterxml.jackson.databind.node.ArrayNode) n;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, substitute(a.get(i), env, path + "[" + i + "]"));
            }
        }
        return n;
    }

    private static void applyOverrides(JsonNode root, Map<String, String> env) throws IOException {
        if (!root.isObject()) {
            return;
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (var e : new java.util.TreeMap<>(env).entrySet()) {
            if (!e.getKey().startsWith(ENV_PREFIX)) {
                continue;
            }
            String[] parts = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("__");
            ObjectNode o = (ObjectNode) root;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode c = o.get(parts[i]);
                if (c == null || !c.isObject()) {
                    c = o.putObject(parts[i]);
                }
                o = (ObjectNode) c;
            }
            JsonNode value;
            try {
                value = yaml.readTree(e.getValue());
            } catch (JsonProcessingException ex) {
                value = TextNode.valueOf(e.getValue());
            }
            o.set(parts[parts.length - 1], value == null || value.isMissingNode() ? TextNode.valueOf("") : value);
        }
    }

    private static NodeConfig parse(Path file, ConfigTree t, Path dir) {
        String nodeId = t.string("node_id", "lifvision");
        if (!ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node_id must be 1-64 letters, digits, '_' or '-' (it is part of MQTT topics), got '"
                    + nodeId + "'");
        }
        String logLevel = t.oneOf("log_level", "info", List.of("error", "warn", "info", "debug", "trace"), s -> s);
        ModelSettings model = model(t.child("model"), dir);
        ReadoutSettings readout = readout(t.child("classification"));
        List<CameraConfig> cameras = cameras(t.child("cameras"), dir);
        MqttConfig mqtt = mqtt(t.child("mqtt"), nodeId, dir);
        CaptureSettings capture = capture(t.child("capture"), dir);
        MetricsSettings metrics = metrics(t.child("metrics"));
        t.rejectUnknown();
        return new NodeConfig(file, nodeId, logLevel, model, readout, cameras, mqtt, capture, metrics);
    }

    private static ModelSettings model(ConfigTree t, Path dir) {
        String path = t.string("path", "mnist");
        Path folder = dir.resolve(t.string("folder", "models")).normalize();
        boolean watch = t.bool("watch", true);
        String backend = t.string("backend", "spiking");
        InputCoding coding = t.oneOf("input", "current", List.of("current", "poisson", "regular"), InputCoding::parse);
        double inputRate = t.number("input_rate", 250);
        if (!(inputRate > 0)) {
            throw t.bad("input_rate", new com.fasterxml.jackson.databind.node.DoubleNode(inputRate), "must be > 0 Hz");
        }
        String mode = t.oneOf("mode", null, List.of("reset", "continuous"), s -> s);
        Double presentation = t.has("presentation") ? t.duration("presentation", null).toNanos() / 1e9 : null;
        Double dt = t.has("dt") ? t.duration("dt", null).toNanos() / 1e9 : null;
        if (dt != null && !(dt > 0)) {
            throw new IllegalArgumentException(t.key("dt") + " must be > 0, got " + dt);
        }
        SynapseSpec synapse = null;
        if (t.has("synapse")) {
            try {
                synapse = SynapseSpec.parse(t.string("synapse", null));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(t.key("synapse") + ": " + e.getMessage());
            }
        }
        boolean early = t.bool("early_decision", true);
        double[] window = t.numbers("readout", 2);
        if (window != null && !(window[0] >= 0 && window[1] > window[0])) {
            throw new IllegalArgumentException(t.key("readout") + " must be [start, end] seconds with 0 <= start < end, got ["
                    + window[0] + ", " + window[1] + "]");
        }
        t.rejectUnknown();
        // a shipped name stays a name; anything that looks like a file is resolved against the config folder
        String resolved = path.contains("/") || path.endsWith(".lifb") ? dir.resolve(path).normalize().toString() : path;
        return new ModelSettings(resolved, folder, watch, backend, coding, inputRate, mode, presentation, dt, synapse, window,
                early);
    }

    private static ReadoutSettings readout(ConfigTree t) {
        double threshold = t.number("threshold", 0.0);
        double margin = t.number("min_margin", 0.0);
        Map<String, Double> perClass = new LinkedHashMap<>();
        ConfigTree pc = t.child("per_class");
        for (String k : pc.keys()) {
            perClass.put(k, pc.number(k, 0));
        }
        int topK = t.integer("top_k", 3, 1, 1000);
        double temperature = t.number("temperature", 1.0);
        t.rejectUnknown();
        return new ReadoutSettings(threshold, margin, perClass, topK, temperature);
    }

    private static List<CameraConfig> cameras(ConfigTree t, Path dir) {
        List<CameraConfig> out = new ArrayList<>();
        for (String name : t.keys()) {
            if (!ID.matcher(name).matches()) {
                throw new IllegalArgumentException("camera name '" + name
                        + "' must be 1-64 letters, digits, '_' or '-' (it is part of MQTT topics)");
            }
            ConfigTree c = t.child(name);
            String uri = c.requiredString("source");
            if (!uri.contains("://")) {
                uri = "file://" + dir.resolve(uri).normalize();
            } else if (uri.startsWith("dir://") && !uri.startsWith("dir:///")) {
                uri = "dir://" + dir.resolve(uri.substring("dir://".length())).normalize();
            } else if (uri.startsWith("file://") && !uri.startsWith("file:///")) {
                uri = "file://" + dir.resolve(uri.substring("file://".length())).normalize();
            }
            CameraSettings d = CameraSettings.of(name, uri);
            CameraSettings s = new CameraSettings(name, uri, c.integer("width", d.width()), c.integer("height", d.height()),
                    c.number("fps", d.fps()), c.bool("loop", d.loop()), c.bool("pace", d.pace()),
                    c.duration("stall_timeout", d.stallTimeout()), c.duration("open_timeout", d.openTimeout()),
                    c.duration("reconnect_initial", d.reconnectInitial()), c.duration("reconnect_max", d.reconnectMax()));
            double[] roi = c.numbers("roi", 4);
            if (roi != null && !(0 <= roi[0] && roi[0] < roi[2] && roi[2] <= 1 && 0 <= roi[1] && roi[1] < roi[3] && roi[3] <= 1)) {
                throw new IllegalArgumentException(c.key("roi") + " must be [x0, y0, x1, y1] in 0..1 with x0 < x1 and y0 < y1, got "
                        + java.util.Arrays.toString(roi));
            }
            boolean detect = c.bool("detect", true);
            c.rejectUnknown();
            out.add(new CameraConfig(s, roi, detect));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("cameras: at least one camera is required, e.g.\n  cameras:\n    front:\n"
                    + "      source: v4l2:///dev/video0");
        }
        return List.copyOf(out);
    }

    private static MqttConfig mqtt(ConfigTree t, String nodeId, Path dir) {
        boolean enabled = t.bool("enabled", true);
        boolean embedded = t.bool("embedded", false);
        int embeddedPort = t.integer("embedded_port", 1883, 1, 65535);
        String broker = t.string("broker", embedded ? "tcp://127.0.0.1:" + embeddedPort : "tcp://127.0.0.1:1883");
        String clientId = t.string("client_id", "lifvision-" + nodeId);
        String user = t.string("username", null);
        String password = t.string("password", null);
        String trust = t.string("truststore", null);
        String trustPassword = t.string("truststore_password", null);
        int keepAlive = t.integer("keepalive", 10, 1, 65535);
        Duration connectTimeout = t.duration("connect_timeout", Duration.ofSeconds(5));
        Duration reconnectInitial = t.duration("reconnect_initial", Duration.ofMillis(500));
        Duration reconnectMax = t.duration("reconnect_max", Duration.ofSeconds(30));
        int buffer = t.integer("offline_buffer", 1000, 0, 1_000_000);
        String prefix = t.string("topic_prefix", "lifvision");
        if (prefix.isEmpty() || prefix.contains("#") || prefix.contains("+") || prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException(t.key("topic_prefix") + " must be a topic without wildcards or leading/trailing '/', got '"
                    + prefix + "'");
        }
        int qos = t.integer("qos", 0, 0, 2);
        boolean retain = t.bool("retain", false);
        Duration stats = t.duration("stats_interval", Duration.ofSeconds(15));
        if (stats.toMillis() < 100) {
            throw new IllegalArgumentException(t.key("stats_interval") + " must be at least 100ms, got " + stats.toMillis() + "ms");
        }
        ConfigTree ha = t.child("home_assistant");
        boolean haOn = ha.bool("enabled", true);
        String haPrefix = ha.string("discovery_prefix", "homeassistant");
        ha.rejectUnknown();
        int maxPayload = t.integer("max_command_bytes", 1024, 16, 1 << 20);
        t.rejectUnknown();
        MqttSettings client = new MqttSettings(broker, clientId, user, password,
                trust == null ? null : dir.resolve(trust).normalize(), trustPassword, keepAlive, connectTimeout,
                reconnectInitial, reconnectMax, buffer);
        return new MqttConfig(enabled, client, embedded, embeddedPort, prefix, qos, retain, stats, haOn, haPrefix, maxPayload);
    }

    private static CaptureSettings capture(ConfigTree t, Path dir) {
        boolean enabled = t.bool("enabled", false);
        Path folder = dir.resolve(t.string("dir", "captures")).normalize();
        CaptureSettings.Policy policy = t.oneOf("policy", "all", List.of("all", "every_nth", "below_threshold", "on_command"),
                CaptureSettings.Policy::parse);
        int nth = t.integer("every_nth", 10, 1, Integer.MAX_VALUE);
        double below = t.number("below_score", 0.6);
        double quotaMb = t.number("quota_mb", 500);
        if (!(quotaMb >= 0)) {
            throw new IllegalArgumentException(t.key("quota_mb") + " must be >= 0 (0 = no quota), got " + quotaMb);
        }
        t.rejectUnknown();
        return new CaptureSettings(enabled, folder, policy, nth, below, (long) (quotaMb * 1_000_000));
    }

    private static MetricsSettings metrics(ConfigTree t) {
        boolean enabled = t.bool("enabled", false);
        String bind = t.string("bind", "127.0.0.1");
        int port = t.integer("port", 9108, 1, 65535);
        t.rejectUnknown();
        return new MetricsSettings(enabled, bind, port);
    }
}
