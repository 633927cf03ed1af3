package dev.lifvision.service;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A small append-only JSON writer over a reused StringBuilder: the per-frame classification message
 * is written without building a tree. Commas are placed automatically.
 */
final class JsonOut {
    private final StringBuilder sb = new StringBuilder(1024);
    private boolean needComma;

    JsonOut begin() {
        sb.setLength(0);
        sb.append('{');
        needComma = false;
        return this;
    }

    byte[] end() {
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    String endString() {
        sb.append('}');
        return sb.toString();
    }

    private JsonOut key(String k) {
        if (needComma) {
            sb.append(',');
        }
        quote(k);
        sb.append(':');
        needComma = true;
        return this;
    }

    JsonOut field(String k, String v) {
        key(k);
        if (v == null) {
            sb.append("null");
        } else {
            quote(v);
        }
        return this;
    }

    JsonOut field(String k, long v) {
        key(k).sb.append(v);
        return this;
    }

    JsonOut field(String k, boolean v) {
        key(k).sb.append(v);
        return this;
    }

    /** Finite doubles with up to 6 significant decimals; NaN and infinities as null (JSON has neither). */
    JsonOut field(String k, double v) {
        key(k);
        number(v);
        return this;
    }

    /** Epoch milliseconds as seconds with three decimals (the %g form would lose the milliseconds). */
    JsonOut fieldMillisAsSeconds(String k, long millis) {
        key(k).sb.append(Math.floorDiv(millis, 1000)).append('.');
        long ms = Math.floorMod(millis, 1000);
        sb.append(ms < 10 ? "00" : ms < 100 ? "0" : "").append(ms);
        return this;
    }

    JsonOut object(String k) {
        key(k).sb.append('{');
        needComma = false;
        return this;
    }

    JsonOut close() {
        sb.append('}');
        needComma = true;
        return this;
    }

    JsonOut array(String k) {
        key(k).sb.append('[');
        needComma = false;
        return this;
    }

    JsonOut closeArray() {
        sb.append(']');
        needComma = true;
        return this;
    }

    /** Starts an object inside an array. */
    JsonOut element() {
        if (needComma) {
            sb.append(',');
        }
        sb.append('{');
        needComma = false;
        return this;
    }

    JsonOut value(String v) {
        if (needComma) {
            sb.append(',');
        }
        quote(v);
        needComma = true;
        return this;
    }

    private void number(double v) {
        if (!Double.isFinite(v)) {
            sb.append("null");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            sb.append((long) v);
        } else {
            sb.append(String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e")
                    .replaceAll("\\.$", ""));
        }
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
