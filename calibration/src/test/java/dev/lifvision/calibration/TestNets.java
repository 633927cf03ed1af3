package dev.lifvision.calibration;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.Manifest;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.bundle.SimulationSpec;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.network.RandomFeatures;
import dev.lifvision.network.RandomNetworks;

import java.io.IOException;
import java.nio.file.Path;

/** A small LIF network that really classifies the committed 200 MNIST digits (an extreme learning machine). */
final class TestNets {
    static final Path FIXTURE = Path.of("../node/src/test/resources/fixtures/mnist-200");

    private TestNets() {
    }

    static ImageSet digits() throws IOException {
        return Datasets.load("mnist:" + FIXTURE, Split.TEST, null);
    }

    /** Fitted on the 200 fixture digits; provenance names the fixture; calibration holds a foreign key. */
    static Bundle small(ImageSet set, SimulationSpec sim) {
        var in = RandomNetworks.mnistInput();
        Preprocessor pre = new Preprocessor(in, null);
        float[][] x = new float[set.size()][784];
        for (int i = 0; i < x.length; i++) {
            pre.apply(set.pixels(), i * 784, 28, 28, 1, x[i]);
        }
        Bundle b = RandomFeatures.fit("small", in, set.classNames(), x, set.labels(), 120,
                NeuronSpec.lif(0.022, 0.002, 1, 0.063), 3, 1e-3, 5);
        Manifest m = b.manifest();
        ObjectNode prov = JsonNodeFactory.instance.objectNode().put("dataset", "mnist:" + FIXTURE);
        ObjectNode cal = JsonNodeFactory.instance.objectNode().put("other_tool", "keep me");
        Manifest out = new Manifest(m.formatVersion(), m.name(), m.labels(), m.input(), m.layers(),
                sim == null ? m.simulation() : sim, cal, prov, null);
        return new Bundle(out, b.tensors());
    }
}
