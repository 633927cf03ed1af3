package dev.lifvision.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of manifest.json (see node/BUNDLE.md). {@code calibration} and {@code provenance} are
 * free-form objects owned by later tools; {@code tensors} is filled by {@link Bundle#write} and may be null
 * on a bundle built in memory.
 */
public record Manifest(int formatVersion, String name, List<String> labels, InputSpec input, List<LayerSpec> layers,
                       SimulationSpec simulation, JsonNode calibration, JsonNode provenance,
                       Map<String, TensorInfo> tensors) {

    public static final int FORMAT_VERSION = 1;

    public Manifest {
        // Unmodifiable copies, but null-tolerant: a manifest read from a file with holes must reach the
        // validator, which says what is missing, instead of failing here with a bare NullPointerException.
        labels = labels == null ? null : Collections.unmodifiableList(new ArrayList<>(labels));
        layers = layers == null ? null : Collections.unmodifiableList(new ArrayList<>(layers));
        tensors = tensors == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        calibration = calibration == null || calibration.isNull() ? null : calibration;
        provenance = provenance == null || provenance.isNull() ? null : provenance;
    }

    public Manifest withTensors(Map<String, TensorInfo> t) {
        return new Manifest(formatVersion, name, labels, input, layers, simulation, calibration, provenance, t);
    }

    public Manifest withCalibration(JsonNode c) {
        return new Manifest(formatVersion, name, labels, input, layers, simulation, c, provenance, tensors);
    }

    public Manifest withProvenance(JsonNode p) {
        return new Manifest(formatVersion, name, labels, input, layers, simulation, calibration, p, tensors);
    }

    public Manifest withName(String n) {
        return new Manifest(formatVersion, n, labels, input, layers, simulation, calibration, provenance, tensors);
    }
}
