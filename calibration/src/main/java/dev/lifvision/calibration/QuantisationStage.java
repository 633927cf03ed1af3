package dev.lifvision.calibration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifvision.bundle.Bundle;
import dev.lifvision.data.ImageSet;
import dev.lifvision.emulator.ChipProfile;
import dev.lifvision.emulator.CoreMapper;
import dev.lifvision.emulator.QuantisedNetwork;
import dev.lifvision.emulator.Quantiser;
import dev.lifvision.emulator.ResourceReport;
import dev.lifvision.eval.EvalResult;

import java.util.Locale;

/**
 * Quantisation for the hardware emulator, with the node's own quantiser: the calibrated bundle's
 * float weights become the chip's integer parameters (stored in the bundle, with a hash of the
 * float weights so a later retrain is caught as stale), the emulator and the float SNN run side by
 * side on the calibration images, and the bundle is marked emulator-ready only when the emulator's
 * error is within the tolerance of the float SNN's. A bundle that does not map onto cores is
 * reported, not marked.
 */
final class QuantisationStage {
    static final String BACKEND = "loihi";

    record Outcome(boolean ready, String note, Bundle bundle) {
    }

    private final ChipProfile chip;
    private final double tolerance;
    private final int maxImages;

    QuantisationStage(ChipProfile chip, double tolerance, int maxImages) {
        this.chip = chip;
        this.tolerance = tolerance;
        this.maxImages = maxImages;
    }

    Outcome run(Bundle calibrated, ImageSet set, int[] labelMap, int threads) throws InterruptedException {
        var opt = dev.lifvision.network.SimOptions.of(calibrated.manifest().simulation());
        QuantisedNetwork q;
        ResourceReport res;
        try {
            q = Quantiser.quantise(calibrated, chip, opt);
            res = CoreMapper.map(q);
        } catch (IllegalArgumentException e) {
            return new Outcome(false, "not emulator-ready: " + e.getMessage(), calibrated);
        }
        Bundle stored = Quantiser.store(calibrated, q);
        ImageSet sample = set.size() > maxImages ? set.limit(maxImages) : set;
        EvalResult flt = Calibrator.evaluate(stored, "spiking", sample, labelMap, threads, null);
        EvalResult emu = Calibrator.evaluate(stored, BACKEND, sample, labelMap, threads, null);
        double gap = emu.errorRate() - flt.errorRate();
        boolean ready = gap <= tolerance + 1e-12;
        ObjectNode cal = stored.manifest().calibration() == null
                ? new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                : (ObjectNode) stored.manifest().calibration().deepCopy();
        ObjectNode e = cal.has("emulator") && cal.get("emulator").isObject() ? (ObjectNode) cal.get("emulator") : cal.putObject("emulator");
        e.put("ready", ready);
        e.put("images", sample.size());
        e.put("error_float_snn", flt.errorRate());
        e.put("error_emulator", emu.errorRate());
        e.put("tolerance", tolerance);
        e.put("cores", res.cores());
        e.put("chips", res.chips());
        Bundle out = new Bundle(stored.manifest().withCalibration(cal), stored.tensors());
        String note = String.format(Locale.ROOT,
                "%s: emulator (%s) error %.2f %% vs float SNN %.2f %% on %d calibration images (gap %+.2f points, tolerance %.2f); "
                        + "%d cores, %d chip(s); integer parameters stored in the bundle",
                ready ? "emulator-ready" : "NOT emulator-ready", chip.name(), 100 * emu.errorRate(), 100 * flt.errorRate(),
                sample.size(), 100 * gap, 100 * tolerance, res.cores(), res.chips());
        return new Outcome(ready, note, out);
    }
}
