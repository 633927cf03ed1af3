package dev.lifvision.encode;

import java.util.Locale;

/** How a preprocessed frame enters the first layer. */
public enum InputCoding {
    /** Constant current into the first layer for the whole presentation (the paper's way; no input spikes). */
    CURRENT,
    /** Each input value x emits spikes as a Poisson process of rate |x| * inputRate, signed like x. */
    POISSON,
    /** Each input value x emits evenly spaced spikes at rate |x| * inputRate (deterministic). */
    REGULAR;

    public static InputCoding parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown input coding '" + s + "' (expected current, poisson or regular)");
        }
    }
}
