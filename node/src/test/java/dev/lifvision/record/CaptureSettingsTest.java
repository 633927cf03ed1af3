package dev.lifvision.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lifvision.record.CaptureSettings.Policy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CaptureSettingsTest {
    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void defaults() {
        CaptureSettings d = CaptureSettings.DEFAULTS;
        assertFalse(d.enabled());
        assertEquals(Path.of("captures"), d.dir());
        assertEquals(Policy.ALL, d.policy());
        assertEquals(10, d.everyNth());
        assertEquals(0.6, d.belowScore());
        assertEquals(500_000_000L, d.quotaBytes());
    }

    @Test
    void parsesPolicies() {
        assertEquals(Policy.ALL, Policy.parse("all"));
        assertEquals(Policy.EVERY_NTH, Policy.parse("every_nth"));
        assertEquals(Policy.BELOW_THRESHOLD, Policy.parse("Below-Threshold"));
        assertEquals(Policy.ON_COMMAND, Policy.parse(" on_command "));
        assertEquals("on_command", Policy.ON_COMMAND.configName());
        assertEquals("capture.policy: unknown policy 'sometimes' (valid: all, every_nth, below_threshold, on_command)",
                message(() -> Policy.parse("sometimes")));
        assertEquals("capture.policy: unknown policy 'null' (valid: all, every_nth, below_threshold, on_command)",
                message(() -> Policy.parse(null)));
    }

    @Test
    void validationNamesTheField() {
        CaptureSettings d = CaptureSettings.DEFAULTS;
        assertEquals("capture.every_nth must be >= 1, got 0", message(() -> d.withEveryNth(0)));
        assertEquals("capture.below_score must be in [0, 1], got 1.5", message(() -> d.withBelowScore(1.5)));
        assertEquals("capture.below_score must be in [0, 1], got NaN", message(() -> d.withBelowScore(Double.NaN)));
        assertEquals("capture.quota_bytes must be >= 0 (0 = unlimited), got -1", message(() -> d.withQuotaBytes(-1)));
        assertEquals("capture.dir is missing", message(() -> d.withDir(null)));
        assertEquals("capture.policy is missing", message(() -> d.withPolicy(null)));
    }

    @Test
    void parsesSizes() {
        assertEquals(500_000_000L, CaptureSettings.parseBytes("500MB"));
        assertEquals(500_000_000L, CaptureSettings.parseBytes("500 mb"));
        assertEquals(2L << 30, CaptureSettings.parseBytes("2GiB"));
        assertEquals(1_500_000_000L, CaptureSettings.parseBytes("1.5G"));
        assertEquals(750_000L, CaptureSettings.parseBytes("750k"));
        assertEquals(1234L, CaptureSettings.parseBytes("1234"));
        assertEquals(0L, CaptureSettings.parseBytes("0"));
        assertEquals("capture.quota: cannot read '5 apples' as a size (examples: 500MB, 2GiB, 750k, 0 = unlimited)",
                message(() -> CaptureSettings.parseBytes("5 apples")));
        assertThrows(IllegalArgumentException.class, () -> CaptureSettings.parseBytes("MB"));
        assertThrows(IllegalArgumentException.class, () -> CaptureSettings.parseBytes("1.2.3MB"));
        assertThrows(IllegalArgumentException.class, () -> CaptureSettings.parseBytes(null));
    }
}
