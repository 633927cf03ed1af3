package dev.lifvision.network;

import dev.lifvision.bundle.SimulationSpec;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.encode.InputCoding;

/**
 * How a frame is presented to a backend. Defaults come from the bundle's simulation section;
 * command-line options and the node's config override single fields.
 *
 * @param readoutStart start of the readout window, seconds from frame onset
 * @param readoutEnd   end of the readout window (clipped to the presentation)
 * @param continuous   keep state between frames (the paper's way) instead of resetting per frame
 * @param inputRate    for spike-coded input: spikes per second for an input value of 1
 */
public record SimOptions(double dt, double presentation, double readoutStart, double readoutEnd, SynapseSpec synapse,
                         boolean continuous, InputCoding coding, double inputRate, long seed) {

    public static final double DEFAULT_INPUT_RATE = 250.0;

    public SimOptions {
        if (!(dt > 0) || !Double.isFinite(dt)) {
            throw new IllegalArgumentException("dt must be > 0 seconds, got " + dt);
        }
        if (!(presentation >= dt)) {
            throw new IllegalArgumentException("presentation time " + presentation + " s is shorter than dt " + dt + " s");
        }
        if (!(inputRate > 0)) {
            throw new IllegalArgumentException("input rate must be > 0 Hz, got " + inputRate);
        }
    }

    public static SimOptions of(SimulationSpec s) {
        return new SimOptions(s.dt(), s.presentation(), s.readoutStart(), s.readoutEnd(), s.synapse(),
                "continuous".equals(s.mode()), InputCoding.CURRENT, DEFAULT_INPUT_RATE, 1L);
    }

    public SimOptions withDt(double v) {
        return new SimOptions(v, presentation, readoutStart, readoutEnd, synapse, continuous, coding, inputRate, seed);
    }

    /** Changes the presentation time; a readout window that ended at the old presentation end follows it. */
    public SimOptions withPresentation(double v) {
        double end = Math.abs(readoutEnd - presentation) < 1e-12 ? v : readoutEnd;
        return new SimOptions(dt, v, readoutStart, end, synapse, continuous, coding, inputRate, seed);
    }

    public SimOptions withReadout(double start, double end) {
        return new SimOptions(dt, presentation, start, end, synapse, continuous, coding, inputRate, seed);
    }

    public SimOptions withSynapse(SynapseSpec v) {
        return new SimOptions(dt, presentation, readoutStart, readoutEnd, v, continuous, coding, inputRate, seed);
    }

    public SimOptions withContinuous(boolean v) {
        return new SimOptions(dt, presentation, readoutStart, readoutEnd, synapse, v, coding, inputRate, seed);
    }

    public SimOptions withCoding(InputCoding v, double rate) {
        return new SimOptions(dt, presentation, readoutStart, readoutEnd, synapse, continuous, v, rate, seed);
    }

    public SimOptions withSeed(long v) {
        return new SimOptions(dt, presentation, readoutStart, readoutEnd, synapse, continuous, coding, inputRate, v);
    }

    /** Whole steps in one presentation. */
    public int steps() {
        return Math.max(1, (int) Math.round(presentation / dt));
    }

    /**
     * First step (0-based) of the readout window. Step k covers (k dt, (k+1) dt]. The window is
     * clipped to the presentation; if that leaves it empty, the second half of the presentation is
     * used, so a short presentation still gives an answer (the steps used are reported).
     */
    public int readoutFirstStep() {
        int n = steps();
        int first = (int) Math.round(readoutStart / dt);
        int last = readoutLastStep();
        if (first < 0 || first > last) {
            first = n / 2;
        }
        return Math.min(first, last);
    }

    /** Last step (0-based, inclusive) of the readout window. */
    public int readoutLastStep() {
        int n = steps();
        int end = (int) Math.round(readoutEnd / dt) - 1;
        return Math.max(0, Math.min(n - 1, end));
    }

    public int readoutSteps() {
        return readoutLastStep() - readoutFirstStep() + 1;
    }
}
