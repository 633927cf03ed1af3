package dev.lifvision.bundle;

/**
 * How the spiking network is run, all times in seconds: time step {@code dt}; each frame is presented for
 * {@code presentation}; the class scores are the output averaged over {@code [readoutStart, readoutEnd)}
 * (skipping the initial transient). Mode {@code reset} resets neuron and synapse state at every frame;
 * {@code continuous} keeps it running across frames (video).
 */
public record SimulationSpec(double dt, SynapseSpec synapse, double presentation, double readoutStart,
                             double readoutEnd, String mode) {

    public static SimulationSpec defaults() {
        return new SimulationSpec(0.001, new SynapseSpec("alpha", 0.005), 0.2, 0.1, 0.2, "reset");
    }
}
