package dev.lifvision.readout;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the mean outputs of a frame become a label (the node's {@code classification} section).
 *
 * @param threshold   minimum softmax score of the top class for a label; below it the frame is "unknown"
 *                    (0 = always label). In [0, 1].
 * @param minMargin   minimum difference between the top two softmax scores; in [0, 1] (0 = no check)
 * @param perClass    threshold per label name, replacing {@code threshold} for that class; each in [0, 1].
 *                    Never null (null becomes an empty map); copied, unmodifiable, keeps the given order.
 * @param topK        how many classes the top list holds (capped at the number of classes); >= 1
 * @param temperature softmax temperature: scores are softmax(output / temperature); > 0 and finite
 */
public record ReadoutSettings(double threshold, double minMargin, Map<String, Double> perClass, int topK,
                             double temperature) {

    public static final double DEFAULT_THRESHOLD = 0.0;
    public static final double DEFAULT_MIN_MARGIN = 0.0;
    public static final int DEFAULT_TOP_K = 3;
    public static final double DEFAULT_TEMPERATURE = 1.0;

    /** Always label, top 3, temperature 1. */
    public static final ReadoutSettings DEFAULTS =
            new ReadoutSettings(DEFAULT_THRESHOLD, DEFAULT_MIN_MARGIN, Map.of(), DEFAULT_TOP_K, DEFAULT_TEMPERATURE);

    /** How many label names {@link #checkLabels} lists in its message before abbreviating. */
    private static final int LABELS_SHOWN = 20;

    public ReadoutSettings {
        checkUnit("classification.threshold", threshold);
        checkUnit("classification.min_margin", minMargin);
        if (topK < 1) {
            throw new IllegalArgumentException("classification.top_k must be >= 1, got " + topK);
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("classification.temperature must be > 0 and finite, got " + temperature);
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        if (perClass != null) {
            for (Map.Entry<String, Double> e : perClass.entrySet()) {
                String name = e.getKey();
                if (name == null) {
                    throw new IllegalArgumentException("classification.per_class: a label name is missing (null)");
                }
                Double v = e.getValue();
                if (v == null) {
                    throw new IllegalArgumentException("classification.per_class." + name + " has no value");
                }
                checkUnit("classification.per_class." + name, v);
                copy.put(name, v);
            }
        }
        perClass = Collections.unmodifiableMap(copy);
    }

    private static void checkUnit(String field, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1], got " + v);
        }
    }

    /** The threshold that applies to class {@code label}: its per-class one, else the global one. */
    public double thresholdFor(String label) {
        Double v = perClass.get(label);
        return v != null ? v : threshold;
    }

    /**
     * Checks that every key of {@link #perClass} names a label of the model.
     *
     * @throws IllegalArgumentException naming the first unknown key and the model's labels
     */
    public void checkLabels(List<String> labels) {
        for (String name : perClass.keySet()) {
            if (!labels.contains(name)) {
                throw new IllegalArgumentException("classification.per_class: '" + name
                        + "' is not a label of the model (labels: " + listed(labels) + ")");
            }
        }
    }

    private static String listed(List<String> labels) {
        if (labels.isEmpty()) {
            return "none";
        }
        int shown = Math.min(labels.size(), LABELS_SHOWN);
        StringBuilder b = new StringBuilder(String.join(", ", labels.subList(0, shown)));
        if (shown < labels.size()) {
            b.append(", ... (").append(labels.size()).append(" in all)");
        }
        return b.toString();
    }

    public ReadoutSettings withThreshold(double v) {
        return new ReadoutSettings(v, minMargin, perClass, topK, temperature);
    }

    public ReadoutSettings withMinMargin(double v) {
        return new ReadoutSettings(threshold, v, perClass, topK, temperature);
    }

    public ReadoutSettings withPerClass(Map<String, Double> v) {
        return new ReadoutSettings(threshold, minMargin, v, topK, temperature);
    }

    public ReadoutSettings withTopK(int v) {
        return new ReadoutSettings(threshold, minMargin, perClass, v, temperature);
    }

    public ReadoutSettings withTemperature(double v) {
        return new ReadoutSettings(threshold, minMargin, perClass, topK, v);
    }
}
