package dev.lifvision.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.InputSpec;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.eval.Evaluator;

import java.io.IOException;
import java.util.List;

/**
 * The calibration set: by default a held-out slice of the training data, namely the trainer's
 * validation slice (the first {@code validation_images} of the training split shuffled with the
 * provenance's {@code seed}), taken from the dataset the provenance names. Checked against the
 * bundle: image size and channels, and labels.
 */
final class CalibrationData {
    final ImageSet images;
    /** Further held-out images for the confirmation of the choice (none of {@link #images}); may be empty. */
    final ImageSet confirm;
    final String confirmDescription;
    final int[] labelMap;
    final String description;
    final String warning;

    private CalibrationData(ImageSet images, ImageSet confirm, String confirmDescription, int[] labelMap,
                            String description, String warning) {
        this.images = images;
        this.confirm = confirm;
        this.confirmDescription = confirmDescription;
        this.labelMap = labelMap;
        this.description = description;
        this.warning = warning;
    }

    /**
     * @param spec  KIND:PATH or null for the provenance's dataset
     * @param split train (default) or test
     */
    static CalibrationData load(Bundle bundle, String spec, Split split, int limit) throws IOException {
        return load(bundle, spec, split, limit, 0);
    }

    /**
     * @param confirm images for the confirmation, taken after the calibration images from the same
     *                slice (fewer when the slice runs out)
     */
    static CalibrationData load(Bundle bundle, String spec, Split split, int limit, int confirm) throws IOException {
        JsonNode prov = bundle.manifest().provenance();
        String name = bundle.manifest().name();
        if (spec == null) {
            JsonNode ds = prov == null ? null : prov.get("dataset");
            if (ds == null || !ds.isTextual() || ds.asText().isBlank()) {
                throw new CalibrationException("model " + name + " has no calibration set: its provenance names no "
                        + "dataset; pass --data KIND:PATH (a held-out slice of its training data is used)");
            }
            spec = ds.asText();
        }
        ImageSet all = Datasets.load(spec, split, null);
        check(bundle, all);
        int[] map;
        try {
            map = Evaluator.labelMap(all.classNames(), bundle.manifest().labels());
        } catch (IllegalArgumentException e) {
            throw new CalibrationException("calibration set " + all.source() + ": its labels do not match the model's: "
                    + e.getMessage());
        }
        String warning = null;
        String desc;
        ImageSet set;
        ImageSet pool;
        int validation = prov != null && prov.path("validation_images").canConvertToInt()
                ? prov.path("validation_images").asInt() : 0;
        long seed = prov != null && prov.path("seed").canConvertToLong() ? prov.path("seed").asLong() : 1L;
        if (split == Split.TRAIN && validation > 0 && validation <= all.size()) {
            pool = all.shuffled(seed).limit(validation);
            set = pool.limit(limit);
            desc = String.format("%s, the trainer's held-out validation slice (training split shuffled with seed %d, "
                    + "first %d of %d), %d images", all.source(), seed, validation, all.size(), set.size());
        } else {
            pool = all.shuffled(1);
            set = pool.limit(limit);
            desc = String.format("%s, a random subset (seed 1) of %d images", all.source(), set.size());
            warning = split == Split.TEST
                    ? "calibrating on the test split: figures on it are no longer held out"
                    : "the bundle's provenance records no validation slice (validation_images, seed): the calibration "
                    + "images may overlap the training images";
        }
        if (set.size() == 0) {
            throw new CalibrationException("calibration set " + all.source() + " is empty");
        }
        int[] rest = java.util.stream.IntStream.range(set.size(), Math.min(pool.size(), set.size() + Math.max(0, confirm)))
                .toArray();
        ImageSet conf = pool.subset(rest);
        String confDesc = String.format("the next %d images of the same slice", conf.size());
        return new CalibrationData(set, conf, confDesc, map, desc, warning);
    }

    /** Image size and channels must be what the bundle's input pipeline is built for. */
    static void check(Bundle bundle, ImageSet set) {
        InputSpec in = bundle.manifest().input();
        int[] src = in.sourceSize() != null ? in.sourceSize() : new int[]{in.height(), in.width()};
        if (set.height() != src[0] || set.width() != src[1] || set.channels() != in.channels()) {
            throw new CalibrationException(String.format("calibration set %s has %dx%dx%d images but model %s expects "
                            + "%dx%dx%d (its input%s)", set.source(), set.height(), set.width(), set.channels(),
                    bundle.manifest().name(), src[0], src[1], in.channels(),
                    in.sourceSize() != null ? "'s source_size" : " size"));
        }
        List<String> labels = bundle.manifest().labels();
        if (set.classNames().size() != labels.size() && !labels.containsAll(set.classNames())) {
            throw new CalibrationException("calibration set " + set.source() + " has " + set.classNames().size()
                    + " classes " + set.classNames() + ", model " + bundle.manifest().name() + " has "
                    + labels.size() + " labels " + labels);
        }
    }
}
