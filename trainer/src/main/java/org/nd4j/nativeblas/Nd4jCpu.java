package org.nd4j.nativeblas;

/**
 * Compatibility shim that lets DL4J 1.0.0-M2.1 attach its oneDNN layer helpers (conv, pooling, ...).
 *
 * <p>Why it exists: {@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} (called from every
 * oneDNN helper's {@code checkSupported()}) loads the class {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name,
 * calls its public static no-arg {@code getInstance()} and then the public no-arg {@code isUseMKLDNN()} on the result
 * (plain {@code Class.getMethod} reflection; any {@link Throwable} makes it answer false for the rest of the JVM).
 * ND4J 1.0.0-M2.1 moved that class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed
 * the method to {@code isUseONEDNN()}, so the check always fails and the helpers are silently dropped. This class
 * recreates the old name and delegates to the new one. It is inert unless helpers are also enabled with
 * {@code -Dorg.eclipse.deeplearning4j.helpers.disable=false} (read by {@code HelperUtils.createHelper} each time a
 * layer is instantiated; the default is {@code true}). Needs the CPU backend ({@code nd4j-native}).
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The old-name environment; only what DL4J's reflective check uses. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
