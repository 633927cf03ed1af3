package dev.lifvision.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** manifest.json (de)serialisation. */
final class Json {
    static final String FORMAT = "lifvision-bundle";
    static final String ENTRY = "manifest.json";

    // Unknown fields are ignored so that a newer minor addition does not break old nodes; unknown *values*
    // (layer types...) are rejected by the Validator. Floats are not silently truncated into int fields.
    // The fast double writer is JDK-independent (Double.toString changed in JDK 19), keeping hashes stable.
    static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private Json() {
    }

    static byte[] write(Manifest m) {
        ObjectNode root = MAPPER.createObjectNode().put("format", FORMAT);
        root.setAll((ObjectNode) MAPPER.valueToTree(m));
        try {
            return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    static Manifest read(byte[] bytes, String file) throws BundleException {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage()
                    + (j.getLocation() == null ? "" : " at line " + j.getLocation().getLineNr()
                    + ", column " + j.getLocation().getColumnNr()) : e.getMessage();
            throw new BundleException(file, ENTRY, "malformed JSON: " + msg, e);
        }
        if (root == null || !root.isObject()) {
            throw new BundleException(file, ENTRY, "malformed JSON: the top level must be an object");
        }
        JsonNode format = root.get("format");
        if (format == null || !FORMAT.equals(format.asText())) {
            throw new BundleException(file, ENTRY + ": format", "expected \"" + FORMAT + "\", found "
                    + (format == null ? "nothing" : format) + "; not a LIFVision bundle manifest");
        }
        // Checked before binding so that a newer file gets this message, not a confusing field error.
        JsonNode version = root.get("format_version");
        if (version == null || !version.isInt()) {
            throw new BundleException(file, ENTRY + ": format_version", "missing or not an integer: " + version);
        }
        if (version.intValue() > Manifest.FORMAT_VERSION) {
            throw new BundleException(file, ENTRY + ": format_version", "format_version " + version.intValue()
                    + " is newer than this node supports (" + Manifest.FORMAT_VERSION + "); update the node");
        }
        if (version.intValue() < 1) {
            throw new BundleException(file, ENTRY + ": format_version", "unknown format_version "
                    + version.intValue() + " (this node supports " + Manifest.FORMAT_VERSION + ")");
        }
        try {
            return MAPPER.treeToValue(root, Manifest.class);
        } catch (JsonMappingException e) {
            throw new BundleException(file, ENTRY + ": " + path(e), e.getOriginalMessage(), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new BundleException(file, ENTRY, e.getMessage(), e);
        }
    }

    /** "layers[2].neuron.tau_rc" from Jackson's reference chain. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(top level)" : sb.toString();
    }

    /** Compact JSON with object keys sorted at every level: equal content gives equal text. */
    static String canonical(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(sorted(MAPPER.valueToTree(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    private static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = MAPPER.createObjectNode();
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            Collections.sort(keys);
            for (String k : keys) {
                out.set(k, sorted(n.get(k)));
            }
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            n.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return n;
    }
}
