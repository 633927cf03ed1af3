package dev.lifvision.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A read cursor over one mapping of the YAML file that knows its dotted path, so every error names
 * the key and the value ("mqtt.qos must be 0, 1 or 2, got 3"), and that remembers which keys were
 * read, so a misspelt key is an error instead of a silently ignored setting.
 */
final class ConfigTree {
    private final String path;
    private final JsonNode node;
    private final Set<String> read = new LinkedHashSet<>();

    ConfigTree(String path, JsonNode node) {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw new IllegalArgumentException(label(path) + " must be a mapping of keys to values, got " + describe(node));
        }
        this.path = path;
        this.node = node;
    }

    String path() {
        return path;
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String label(String path) {
        return path.isEmpty() ? "the config" : path;
    }

    boolean has(String name) {
        read.add(name);
        return node != null && node.has(name) && !node.get(name).isNull();
    }

    private JsonNode raw(String name) {
        read.add(name);
        return node == null ? null : node.get(name);
    }

    ConfigTree child(String name) {
        return new ConfigTree(key(name), raw(name));
    }

    List<String> keys() {
        List<String> out = new ArrayList<>();
        if (node != null) {
            node.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    String string(String name, String dflt) {
        JsonNode v = raw(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isValueNode() || v.isBinary()) {
            throw bad(name, v, "must be a single value");
        }
        return v.asText();
    }

    String requiredString(String name) {
        String s = string(name, null);
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(key(name) + " is required");
        }
        return s;
    }

    boolean bool(String name, boolean dflt) {
        JsonNode v = raw(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        String s = v.asText().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw bad(name, v, "must be true or false");
        };
    }

    double number(String name, double dflt) {
        JsonNode v = raw(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        try {
            return Double.parseDouble(v.asText().trim());
        } catch (NumberFormatException e) {
            throw bad(name, v, "must be a number");
        }
    }

    int integer(String name, int dflt) {
        double d = number(name, dflt);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw bad(name, raw(name), "must be a whole number");
        }
        return (int) d;
    }

    int integer(String name, int dflt, int min, int max) {
        int v = integer(name, dflt);
        if (v < min || v > max) {
            throw bad(name, raw(name), "must be between " + min + " and " + max);
        }
        return v;
    }

    /** "250ms", "5s", "2m", "1h" or a bare number of seconds. */
    Duration duration(String name, Duration dflt) {
        JsonNode v = raw(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        String s = v.asText().trim().toLowerCase(Locale.ROOT);
        double factorMs;
        String num;
        if (s.endsWith("ms")) {
            factorMs = 1;
            num = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            factorMs = 1000;
            num = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            factorMs = 60_000;
            num = s.substring(0, s.length() - 1);
        } else if (s.endsWith("h")) {
            factorMs = 3_600_000;
            num = s.substring(0, s.length() - 1);
        } else {
            factorMs = 1000;
            num = s;
        }
        try {
            double ms = Double.parseDouble(num.trim()) * factorMs;
            if (!(ms >= 0) || Double.isInfinite(ms)) {
                throw bad(name, v, "must be a duration >= 0 (for example 500ms, 5s, 2m)");
            }
            return Duration.ofNanos(Math.round(ms * 1e6));
        } catch (NumberFormatException e) {
            throw bad(name, v, "must be a duration (for example 500ms, 5s, 2m)");
        }
    }

    double[] numbers(String name, int count) {
        JsonNode v = raw(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.size() != count) {
            throw bad(name, v, "must be a list of " + count + " numbers");
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            JsonNode e = v.get(i);
            if (!e.isNumber()) {
                try {
                    out[i] = Double.parseDouble(e.asText());
                } catch (NumberFormatException ex) {
                    throw bad(name, v, "must be a list of " + count + " numbers");
                }
            } else {
                out[i] = e.doubleValue();
            }
        }
        return out;
    }

    <T> T oneOf(String name, String dflt, List<String> allowed, java.util.function.Function<String, T> parse) {
        String s = string(name, dflt);
        if (s == null) {
            return null;
        }
        String n = s.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(n)) {
            throw new IllegalArgumentException(key(name) + " must be one of " + String.join(", ", allowed) + ", got '" + s + "'");
        }
        return parse.apply(n);
    }

    IllegalArgumentException bad(String name, JsonNode v, String rule) {
        return new IllegalArgumentException(key(name) + " " + rule + ", got " + describe(v));
    }

    static String describe(JsonNode v) {
        if (v == null || v.isNull()) {
            return "nothing";
        }
        if (v.isTextual()) {
            return "'" + v.asText() + "'";
        }
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list of " + v.size();
        }
        return v.asText();
    }

    /** Fails on keys that were never asked for, suggesting the closest known one. */
    void rejectUnknown() {
        if (node == null) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!read.contains(k)) {
                String hint = closest(k, read);
                throw new IllegalArgumentException("unknown key '" + key(k) + "'"
                        + (hint == null ? "" : " (did you mean '" + key(hint) + "'?)")
                        + " — known keys here: " + String.join(", ", read));
            }
        }
    }

    private static String closest(String k, Set<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : known) {
            int d = distance(k.toLowerCase(Locale.ROOT), c);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return bestD <= Math.max(2, k.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static ObjectNode asObject(JsonNode n) {
        return (ObjectNode) n;
    }
}
