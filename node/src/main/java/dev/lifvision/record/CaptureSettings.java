package dev.lifvision.record;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Field capture for retraining (the node's {@code capture} section).
 *
 * @param enabled    whether capture starts switched on (switchable at run time: {@link FieldRecorder#setEnabled})
 * @param dir        folder of the captures: {@code dir/LABEL/IMAGE.png} plus {@code dir/index.jsonl}
 * @param policy     which offered frames are saved
 * @param everyNth   for {@link Policy#EVERY_NTH}: save one frame in n per camera; >= 1
 * @param belowScore for {@link Policy#BELOW_THRESHOLD}: save frames whose top score is below this (or that
 *                   are unknown); in [0, 1]
 * @param quotaBytes most bytes of capture images kept in {@code dir}; the oldest are deleted to make room.
 *                   0 = unlimited; >= 0
 */
public record CaptureSettings(boolean enabled, Path dir, Policy policy, int everyNth, double belowScore,
                              long quotaBytes) {

    public static final Path DEFAULT_DIR = Path.of("captures");
    public static final int DEFAULT_EVERY_NTH = 10;
    public static final double DEFAULT_BELOW_SCORE = 0.6;
    /** 500 MB (decimal: 500 000 000 bytes). */
    public static final long DEFAULT_QUOTA_BYTES = 500_000_000L;

    /** Off; when switched on: every frame into "captures", 500 MB at most. */
    public static final CaptureSettings DEFAULTS = new CaptureSettings(false, DEFAULT_DIR, Policy.ALL,
            DEFAULT_EVERY_NTH, DEFAULT_BELOW_SCORE, DEFAULT_QUOTA_BYTES);

    /** Which offered frames {@link FieldRecorder#offer} saves. */
    public enum Policy {
        /** Every offered frame. */
        ALL,
        /** The first offered frame of each camera, then every n-th one of that camera. */
        EVERY_NTH,
        /** Frames whose top score is below {@link #belowScore()}, and unknown frames. */
        BELOW_THRESHOLD,
        /** Only the next offered frame after each {@link FieldRecorder#requestOne()}. */
        ON_COMMAND;

        /** The name used in configuration files: "all", "every_nth", "below_threshold", "on_command". */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Parses a configuration name (case-insensitive; '-' may stand for '_').
         *
         * @throws IllegalArgumentException listing the valid names
         */
        public static Policy parse(String s) {
            if (s != null) {
                String key = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
                for (Policy p : values()) {
                    if (p.name().equals(key)) {
                        return p;
                    }
                }
            }
            throw new IllegalArgumentException("capture.policy: unknown policy '" + s + "' (valid: "
                    + Arrays.stream(values()).map(Policy::configName).collect(Collectors.joining(", ")) + ")");
        }
    }

    public CaptureSettings {
        if (dir == null) {
            throw new IllegalArgumentException("capture.dir is missing");
        }
        if (policy == null) {
            throw new IllegalArgumentException("capture.policy is missing");
        }
        if (everyNth < 1) {
            throw new IllegalArgumentException("capture.every_nth must be >= 1, got " + everyNth);
        }
        if (!(belowScore >= 0 && belowScore <= 1)) {
            throw new IllegalArgumentException("capture.below_score must be in [0, 1], got " + belowScore);
        }
        if (quotaBytes < 0) {
            throw new IllegalArgumentException("capture.quota_bytes must be >= 0 (0 = unlimited), got " + quotaBytes);
        }
    }

    public CaptureSettings withEnabled(boolean v) {
        return new CaptureSettings(v, dir, policy, everyNth, belowScore, quotaBytes);
    }

    public CaptureSettings withDir(Path v) {
        return new CaptureSettings(enabled, v, policy, everyNth, belowScore, quotaBytes);
    }

    public CaptureSettings withPolicy(Policy v) {
        return new CaptureSettings(enabled, dir, v, everyNth, belowScore, quotaBytes);
    }

    public CaptureSettings withEveryNth(int v) {
        return new CaptureSettings(enabled, dir, policy, v, belowScore, quotaBytes);
    }

    public CaptureSettings withBelowScore(double v) {
        return new CaptureSettings(enabled, dir, policy, everyNth, v, quotaBytes);
    }

    public CaptureSettings withQuotaBytes(long v) {
        return new CaptureSettings(enabled, dir, policy, everyNth, belowScore, v);
    }

    /**
     * Parses a size such as "500MB", "2 GiB", "750k" or "1000000" (bytes). Units, case-insensitive:
     * B, K/KB (1000), M/MB, G/GB, KiB (1024), MiB, GiB. Fractions are allowed ("1.5GB").
     *
     * @throws IllegalArgumentException naming capture.quota
     */
    public static long parseBytes(String s) {
        String t = s == null ? "" : s.trim().replace("_", "");
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        String num = t.substring(0, i);
        String unit = t.substring(i).trim().toUpperCase(Locale.ROOT);
        long mult = switch (unit) {
            case "", "B" -> 1L;
            case "K", "KB" -> 1_000L;
            case "M", "MB" -> 1_000_000L;
            case "G", "GB" -> 1_000_000_000L;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            default -> -1L;
        };
        double v;
        try {
            v = num.isEmpty() ? Double.NaN : Double.parseDouble(num);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (mult < 0 || !Double.isFinite(v) || v * mult > Long.MAX_VALUE) {
            throw new IllegalArgumentException("capture.quota: cannot read '" + s
                    + "' as a size (examples: 500MB, 2GiB, 750k, 0 = unlimited)");
        }
        return Math.round(v * mult);
    }
}
