package dev.lifvision.readout;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadoutSettingsTest {
    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void defaults() {
        ReadoutSettings d = ReadoutSettings.DEFAULTS;
        assertEquals(0.0, d.threshold());
        assertEquals(0.0, d.minMargin());
        assertEquals(Map.of(), d.perClass());
        assertEquals(3, d.topK());
        assertEquals(1.0, d.temperature());
        assertEquals(Map.of(), new ReadoutSettings(0, 0, null, 1, 1).perClass());
    }

    @Test
    void validationNamesTheField() {
        ReadoutSettings d = ReadoutSettings.DEFAULTS;
        assertEquals("classification.threshold must be in [0, 1], got 1.5", message(() -> d.withThreshold(1.5)));
        assertEquals("classification.threshold must be in [0, 1], got NaN", message(() -> d.withThreshold(Double.NaN)));
        assertEquals("classification.min_margin must be in [0, 1], got -0.1", message(() -> d.withMinMargin(-0.1)));
        assertEquals("classification.top_k must be >= 1, got 0", message(() -> d.withTopK(0)));
        assertEquals("classification.temperature must be > 0 and finite, got 0.0", message(() -> d.withTemperature(0)));
        assertEquals("classification.temperature must be > 0 and finite, got Infinity",
                message(() -> d.withTemperature(Double.POSITIVE_INFINITY)));
        assertEquals("classification.per_class.cat must be in [0, 1], got 2.0",
                message(() -> d.withPerClass(Map.of("cat", 2.0))));
        Map<String, Double> nullValue = new HashMap<>();
        nullValue.put("cat", null);
        assertEquals("classification.per_class.cat has no value", message(() -> d.withPerClass(nullValue)));
    }

    @Test
    void perClassIsCopiedAndUnmodifiable() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("one", 0.5);
        ReadoutSettings s = ReadoutSettings.DEFAULTS.withPerClass(m);
        m.put("two", 0.5);
        assertEquals(Map.of("one", 0.5), s.perClass());
        assertThrows(UnsupportedOperationException.class, () -> s.perClass().put("x", 0.1));
    }

    @Test
    void perClassLabelsMustBeLabelsOfTheModel() {
        ReadoutSettings s = ReadoutSettings.DEFAULTS.withPerClass(Map.of("cat", 0.5));
        assertEquals("classification.per_class: 'cat' is not a label of the model (labels: zero, one, two)",
                message(() -> s.checkLabels(List.of("zero", "one", "two"))));
        assertDoesNotThrow(() -> s.checkLabels(List.of("dog", "cat")));
        // the readout checks on construction
        assertEquals("classification.per_class: 'cat' is not a label of the model (labels: zero, one)",
                message(() -> new Readout(List.of("zero", "one"), s)));
        // long label lists are abbreviated
        List<String> many = IntStream.range(0, 100).mapToObj(i -> "c" + i).collect(Collectors.toList());
        String msg = message(() -> s.checkLabels(many));
        assertEquals("classification.per_class: 'cat' is not a label of the model (labels: "
                + String.join(", ", many.subList(0, 20)) + ", ... (100 in all))", msg);
    }
}
