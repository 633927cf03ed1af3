package dev.lifvision.bundle;

/**
 * The synaptic filter applied to spikes between layers in simulation: {@code none}, first-order
 * {@code lowpass} or second-order {@code alpha}, with time constant {@code tau} in seconds (0 for none).
 */
public record SynapseSpec(String type, double tau) {

    /** Parses the command-line form {@code none}, {@code lowpass:0.005} or {@code alpha:0.005}. */
    public static SynapseSpec parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("synapse: expected none, lowpass:<tau s> or alpha:<tau s>, got null");
        }
        String t = s.strip();
        if (t.equals("none")) {
            return new SynapseSpec("none", 0);
        }
        int colon = t.indexOf(':');
        String type = colon < 0 ? t : t.substring(0, colon);
        if (colon > 0 && (type.equals("lowpass") || type.equals("alpha"))) {
            try {
                double tau = Double.parseDouble(t.substring(colon + 1).strip());
                if (tau > 0 && Double.isFinite(tau)) {
                    return new SynapseSpec(type, tau);
                }
            } catch (NumberFormatException ignored) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("synapse \"" + s
                + "\": expected none, lowpass:<tau s> or alpha:<tau s> with tau > 0, e.g. alpha:0.005");
    }

    @Override
    public String toString() {
        return type.equals("none") ? "none" : type + ":" + tau;
    }
}
