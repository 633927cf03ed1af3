package dev.lifvision.trainer;

/**
 * Turns on DL4J's oneDNN layer helpers (conv and pooling), which roughly halve the time per
 * training batch here (see BENCHMARKS.md). Two things are needed: helpers allowed (the property
 * below defaults to true, i.e. disabled, and is read whenever a layer is initialised, so it must be
 * set before a network is built) and the class-name adapter {@code org.nd4j.nativeblas.Nd4jCpu}
 * shipped in this module, without which DL4J 1.0.0-M2.1's support check always fails.
 */
public final class Dl4jSetup {
    public static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    private Dl4jSetup() {
    }

    public static void enableOneDnnHelpers() {
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
    }
}
