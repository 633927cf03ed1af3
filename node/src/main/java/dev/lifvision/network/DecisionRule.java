package dev.lifvision.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifvision.bundle.Manifest;
import dev.lifvision.encode.InputCoding;

import java.util.Locale;

/**
 * Early decision, the confidence rule that calibration stores in a bundle
 * ({@code calibration.confidence_rule}): the spiking backend ends a presentation at the first step at least
 * {@code minReadoutSteps} into the readout window where the top output (mean since the readout start, through
 * the output activation) leads the second by {@code margin}; otherwise it runs to the end. Calibration picks
 * the fastest rule whose error on its images does not exceed the full presentation's, so the node answers
 * sooner and spends fewer synaptic events per frame for the same accuracy.
 *
 * <p>The rule was measured for one setting (reset mode, constant-current input, the bundle's synapse, t_c and
 * t_p); {@link #whyNot} says when options differ from it, and then it is not applied.
 */
public record DecisionRule(double margin, int minReadoutSteps, double readoutStart, double maxTime) {

    public DecisionRule {
        if (!(margin >= 0) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("calibration.confidence_rule.margin must be a finite number >= 0, got " + margin);
        }
        if (minReadoutSteps < 1) {
            throw new IllegalArgumentException("calibration.confidence_rule.min_readout_steps must be >= 1, got "
                    + minReadoutSteps);
        }
    }

    /** The bundle's rule, or null when its calibration stored none. */
    public static DecisionRule of(Manifest m) {
        JsonNode c = m.calibration();
        JsonNode r = c == null ? null : c.get("confidence_rule");
        if (r == null || r.isNull()) {
            return null;
        }
        if (!"margin".equals(r.path("type").asText("margin"))) {
            throw new IllegalArgumentException("calibration.confidence_rule.type: only 'margin' is known, got '"
                    + r.path("type").asText() + "'");
        }
        for (String f : new String[]{"margin", "min_readout_steps", "readout_start", "max_time"}) {
            if (!r.path(f).isNumber()) {
                throw new IllegalArgumentException("calibration.confidence_rule." + f + " must be a number, got "
                        + (r.has(f) ? r.get(f).toString() : "nothing"));
            }
        }
        return new DecisionRule(r.get("margin").asDouble(), r.get("min_readout_steps").asInt(),
                r.get("readout_start").asDouble(), r.get("max_time").asDouble());
    }

    /** Null when the rule holds for these options; else why it does not (for a log line). */
    public String whyNot(SimOptions o, SimOptions bundleDefaults, String backend) {
        if (!backend.equals("spiking")) {
            return "the " + backend + " backend has no early decision";
        }
        if (o.continuous()) {
            return "continuous mode (the rule was measured per frame, in reset mode)";
        }
        if (o.coding() != InputCoding.CURRENT) {
            return "input spikes (the rule was measured with constant-current input)";
        }
        if (o.dt() != bundleDefaults.dt() || o.steps() != bundleDefaults.steps()
                || o.readoutFirstStep() != bundleDefaults.readoutFirstStep()
                || o.readoutLastStep() != bundleDefaults.readoutLastStep() || !o.synapse().equals(bundleDefaults.synapse())) {
            return "the simulation settings differ from the calibrated ones";
        }
        if (Math.abs(readoutStart - o.readoutStart()) > o.dt() / 2 || Math.abs(maxTime - o.presentation()) > o.dt() / 2) {
            return String.format(Locale.ROOT, "the rule is for readout from %s s and presentation %s s, the bundle runs %s..%s s",
                    readoutStart, maxTime, o.readoutStart(), o.presentation());
        }
        return null;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "decide when the top output leads by %.4g after >= %d readout steps", margin,
                minReadoutSteps);
    }
}
