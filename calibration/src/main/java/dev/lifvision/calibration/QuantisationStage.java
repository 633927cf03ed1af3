package dev.lifvision.calibration;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.data.ImageSet;
import dev.lifvision.network.Backends;

import java.util.ServiceLoader;

/**
 * Extension point for the hardware-emulator quantisation step. The emulator backend (package
 * {@code dev.lifvision.emulator}, registered in {@link Backends} as {@code "loihi"}) will provide a
 * {@link Quantiser} (its {@code dev.lifvision.emulator.Quantiser}, adapted to this interface and
 * listed in {@code META-INF/services/dev.lifvision.calibration.QuantisationStage$Quantiser}, or
 * passed to {@link #QuantisationStage(Quantiser)}). Until then the step is skipped with a note
 * that goes into the report and the bundle's calibration record.
 */
public final class QuantisationStage {
    /** Fits fixed-point parameters for the emulator on the calibration set and reports what it did. */
    public interface Quantiser {
        /** The backend the quantised model runs on, e.g. "loihi". */
        String backend();

        /**
         * @param calibrated the bundle with the chosen float settings
         * @return a one-paragraph summary for the report (formats chosen, overflow checks, emulator error)
         */
        String quantise(Bundle calibrated, ImageSet calibration, int[] labelMap) throws Exception;
    }

    public record Outcome(boolean ran, String note) {
    }

    public static final String BACKEND = "loihi";

    private final Quantiser quantiser;

    public QuantisationStage(Quantiser quantiser) {
        this.quantiser = quantiser;
    }

    /** The stage with the quantiser found on the class path (ServiceLoader), or none. */
    public static QuantisationStage discover() {
        Quantiser q = null;
        for (Quantiser candidate : ServiceLoader.load(Quantiser.class)) {
            q = candidate;
            break;
        }
        return new QuantisationStage(q);
    }

    static boolean backendRegistered(String name) {
        for (String b : Backends.names()) {
            if (b.equals(name)) {
                return true;
            }
        }
        return false;
    }

    public Outcome run(Bundle calibrated, ImageSet calibration, int[] labelMap) {
        String backend = quantiser == null ? BACKEND : quantiser.backend();
        if (!backendRegistered(backend)) {
            return new Outcome(false, "skipped: no '" + backend + "' backend is registered in Backends "
                    + "(the hardware emulator is not part of this build)");
        }
        if (quantiser == null) {
            return new Outcome(false, "skipped: the '" + backend + "' backend is registered but no Quantiser is plugged in");
        }
        try {
            return new Outcome(true, quantiser.quantise(calibrated, calibration, labelMap));
        } catch (Exception e) {
            return new Outcome(false, "failed: " + e.getMessage());
        }
    }
}
