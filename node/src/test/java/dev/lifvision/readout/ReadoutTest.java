package dev.lifvision.readout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifvision.network.FrameResult;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadoutTest {
    private static final double EPS = 1e-9;
    private static final List<String> ABC = List.of("a", "b", "c");

    private static Classification read(List<String> labels, ReadoutSettings s, float... out) {
        Readout r = new Readout(labels, s);
        Classification c = r.newClassification();
        r.read(out, c);
        return c;
    }

    private static int[] ids(Classification c) {
        return Arrays.copyOf(c.topIds, c.topCount);
    }

    @Test
    void softmaxTopKAndMarginMatchHandComputation() {
        // softmax(1, 2, 3): e^-2, e^-1, 1 over their sum 1.5032147...
        Classification c = read(ABC, ReadoutSettings.DEFAULTS, 1f, 2f, 3f);
        assertEquals("c", c.label);
        assertEquals(2, c.classId);
        assertTrue(c.known());
        assertEquals("c", c.bestLabel);
        assertEquals(0.6652409557748218, c.score, EPS);
        assertEquals(0.6652409557748218 - 0.24472847105479764, c.margin, EPS);
        assertArrayEquals(new int[] {2, 1, 0}, ids(c));
        assertEquals(0.6652409557748218, c.topScores[0], EPS);
        assertEquals(0.24472847105479764, c.topScores[1], EPS);
        assertEquals(0.09003057317038046, c.topScores[2], EPS);
    }

    @Test
    void topKIsCappedAndTiesGoToTheLowerIndex() {
        // softmax(0, 4, 1, 4, 2) = .0083123, .4538362, .0225952, .4538362, .0614201
        List<String> five = List.of("v", "w", "x", "y", "z");
        Classification c = read(five, ReadoutSettings.DEFAULTS, 0f, 4f, 1f, 4f, 2f);
        assertArrayEquals(new int[] {1, 3, 4}, ids(c));
        assertEquals(0.45383623424599445, c.topScores[0], EPS);
        assertEquals(0.45383623424599445, c.topScores[1], EPS);
        assertEquals(0.06142005530471937, c.topScores[2], EPS);
        assertEquals(0.0, c.margin, EPS);
        assertEquals("w", c.label);

        Classification all = read(five, ReadoutSettings.DEFAULTS.withTopK(10), 0f, 4f, 1f, 4f, 2f);
        assertEquals(5, all.topCount);
        assertEquals(5, all.topIds.length);
        assertArrayEquals(new int[] {1, 3, 4, 2, 0}, ids(all));

        // top 1: the margin still uses the real second best
        Classification one = read(ABC, ReadoutSettings.DEFAULTS.withTopK(1), 1f, 2f, 3f);
        assertEquals(1, one.topCount);
        assertEquals(0.6652409557748218 - 0.24472847105479764, one.margin, EPS);
    }

    @Test
    void softmaxIsStableForLargeOutputs() {
        // softmax(1000, 999, 0) = e/(1+e), 1/(1+e), ~0
        Classification c = read(ABC, ReadoutSettings.DEFAULTS, 1000f, 999f, 0f);
        assertEquals(0.7310585786300049, c.score, EPS);
        assertEquals(0.7310585786300049 - 0.2689414213699951, c.margin, EPS);
        assertEquals(0.0, c.topScores[2], EPS);
    }

    @Test
    void temperatureDividesTheOutputs() {
        // softmax((1, 2, 3) / 2): e^-1, e^-0.5, 1 over 1.97441...
        Classification c = read(ABC, ReadoutSettings.DEFAULTS.withTemperature(2), 1f, 2f, 3f);
        assertEquals(0.506480391055654, c.score, EPS);
        assertEquals(0.3071958857184984, c.topScores[1], EPS);
        assertEquals(0.1863237232258476, c.topScores[2], EPS);
        assertEquals(0.506480391055654 - 0.3071958857184984, c.margin, EPS);
        // a temperature of 0.5 sharpens: softmax(1, 2, 3) * 2 -> (2, 4, 6)
        Classification sharp = read(ABC, ReadoutSettings.DEFAULTS.withTemperature(0.5), 1f, 2f, 3f);
        assertEquals(1 / (1 + Math.exp(-2) + Math.exp(-4)), sharp.score, EPS);
    }

    @Test
    void belowTheGlobalThresholdIsUnknownButKeepsTheTopList() {
        // softmax(1, 2, 3) top = 0.665
        ReadoutSettings s = ReadoutSettings.DEFAULTS.withThreshold(0.7);
        Classification c = read(ABC, s, 1f, 2f, 3f);
        assertFalse(c.known());
        assertEquals(Classification.UNKNOWN, c.label);
        assertEquals(-1, c.classId);
        assertEquals("c", c.bestLabel);
        assertEquals(0.6652409557748218, c.score, EPS);
        assertArrayEquals(new int[] {2, 1, 0}, ids(c));

        assertTrue(read(ABC, ReadoutSettings.DEFAULTS.withThreshold(0.66), 1f, 2f, 3f).known());
        // exactly at the threshold counts as passing
        assertTrue(read(List.of("p", "q"), ReadoutSettings.DEFAULTS.withThreshold(0.5), 1f, 1f).known());
    }

    @Test
    void perClassThresholdOverridesTheGlobalOne() {
        Map<String, Double> per = new LinkedHashMap<>();
        per.put("c", 0.9);
        ReadoutSettings strictC = ReadoutSettings.DEFAULTS.withThreshold(0.1).withPerClass(per);
        assertFalse(read(ABC, strictC, 1f, 2f, 3f).known()); // c wins with 0.665 < 0.9
        assertEquals("b", read(ABC, strictC, 1f, 3f, 2f).label); // b wins with 0.665 >= 0.1

        ReadoutSettings lenientC = ReadoutSettings.DEFAULTS.withThreshold(0.95).withPerClass(Map.of("c", 0.5));
        assertEquals("c", read(ABC, lenientC, 1f, 2f, 3f).label);
        assertFalse(read(ABC, lenientC, 1f, 3f, 2f).known());
        assertEquals(0.9, strictC.thresholdFor("c"));
        assertEquals(0.1, strictC.thresholdFor("a"));
    }

    @Test
    void minMarginRejectsCloseCalls() {
        // margin of softmax(1, 2, 3) = 0.4205
        assertFalse(read(ABC, ReadoutSettings.DEFAULTS.withMinMargin(0.43), 1f, 2f, 3f).known());
        assertTrue(read(ABC, ReadoutSettings.DEFAULTS.withMinMargin(0.42), 1f, 2f, 3f).known());
        // a tie has margin 0: unknown for any positive minimum
        Classification tie = read(List.of("p", "q"), ReadoutSettings.DEFAULTS.withMinMargin(0.01), 2f, 2f);
        assertFalse(tie.known());
        assertEquals("p", tie.bestLabel);
        assertEquals(0.5, tie.score, EPS);
    }

    @Test
    void oneClassModelHasMarginOne() {
        Classification c = read(List.of("only"), ReadoutSettings.DEFAULTS, -3f);
        assertEquals(1.0, c.score, EPS);
        assertEquals(1.0, c.margin, EPS);
        assertEquals(1, c.topCount);
        assertEquals("only", c.label);
    }

    @Test
    void nonFiniteOutputs() {
        Classification nan = read(ABC, ReadoutSettings.DEFAULTS, Float.NaN, 1f, 1f);
        assertEquals(0.5, nan.score, EPS);
        assertEquals(0.0, nan.topScores[2], EPS);
        assertEquals(0, nan.topIds[2]);
        Classification inf = read(ABC, ReadoutSettings.DEFAULTS, 0f, Float.POSITIVE_INFINITY, 1f);
        assertEquals("b", inf.label);
        assertEquals(1.0, inf.score, EPS);
        Classification allNan = read(ABC, ReadoutSettings.DEFAULTS, Float.NaN, Float.NaN, Float.NaN);
        assertFalse(allNan.known());
        assertEquals(0, allNan.topCount);
        assertNull(allNan.bestLabel);
    }

    @Test
    void reusesTheClassificationFrameAfterFrame() {
        Readout r = new Readout(ABC, ReadoutSettings.DEFAULTS.withThreshold(0.6));
        Classification c = r.newClassification();
        r.read(new float[] {3f, 2f, 1f}, c);
        assertEquals("a", c.label);
        r.read(new float[] {0f, 0f, 0f}, c);
        assertEquals(Classification.UNKNOWN, c.label);
        assertEquals("a", c.bestLabel);
        FrameResult f = new FrameResult(3, 1);
        f.output[1] = 5f;
        r.read(f, c);
        assertEquals("b", c.label);
        Classification copy = new Classification(3);
        copy.copyFrom(c);
        assertEquals(c.toString(), copy.toString());
    }

    @Test
    void sizeMismatchesAreRejected() {
        Readout r = new Readout(ABC, ReadoutSettings.DEFAULTS);
        Classification c = r.newClassification();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.read(new float[2], c));
        assertEquals("output has 2 values for 3 labels", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.read(new float[3], new Classification(2)));
        assertThrows(IllegalArgumentException.class, () -> new Readout(List.of(), ReadoutSettings.DEFAULTS));
    }
}
