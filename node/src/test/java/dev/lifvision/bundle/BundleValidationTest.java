package dev.lifvision.bundle;

import static dev.lifvision.bundle.Fixtures.at;
import static dev.lifvision.bundle.Fixtures.editEntry;
import static dev.lifvision.bundle.Fixtures.editManifest;
import static dev.lifvision.bundle.Fixtures.replaceTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One test per rejection; each asserts the message names the file, the entry/field and the problem. */
class BundleValidationTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void writeValidBundle() throws IOException {
        file = Fixtures.written(dir);
        Bundle.read(file); // the fixture itself is valid
    }

    private String fails(String... parts) {
        BundleException e = assertThrows(BundleException.class, () -> Bundle.read(file));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file.toString() + ": "), "message must start with the file: " + msg);
        for (String p : parts) {
            assertTrue(msg.contains(p), "message should contain \"" + p + "\": " + msg);
        }
        return msg;
    }

    private void manifest(Consumer<ObjectNode> change) throws IOException {
        editManifest(file, change);
    }

    private static byte[] replaceAscii(byte[] npy, String from, String to) {
        String s = new String(npy, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains(from), from);
        assertEquals(from.length(), to.length(), "keep the header length");
        return s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    // --- the container ---

    @Test
    void notAZip() throws IOException {
        Files.writeString(file, "this is not a zip file at all");
        fails("not a zip archive");
    }

    @Test
    void truncatedZip() throws IOException {
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length / 2));
        fails("truncated");
    }

    @Test
    void missingFile() {
        file = dir.resolve("absent.lifb");
        fails("no such file");
    }

    @Test
    void missingManifest() throws IOException {
        Map<String, byte[]> entries = Fixtures.entries(file);
        entries.remove("manifest.json");
        Fixtures.rewrite(file, entries);
        fails("manifest.json: missing");
    }

    // --- manifest.json ---

    @Test
    void malformedJson() throws IOException {
        editEntry(file, "manifest.json", b -> "{\"format\": \"lifvision-bundle\", ".getBytes(StandardCharsets.UTF_8));
        fails("manifest.json: malformed JSON", "line 1");
    }

    @Test
    void wrongFormat() throws IOException {
        manifest(root -> root.put("format", "keras"));
        fails("manifest.json: format", "keras");
    }

    @Test
    void newerFormatVersion() throws IOException {
        manifest(root -> root.put("format_version", 7));
        fails("manifest.json: format_version", "format_version 7 is newer than this node supports (1)");
    }

    @Test
    void unknownOlderFormatVersion() throws IOException {
        manifest(root -> root.put("format_version", 0));
        fails("manifest.json: format_version", "unknown format_version 0");
    }

    @Test
    void fieldOfWrongJsonType() throws IOException {
        manifest(root -> at(root, "/layers/0/neuron").put("tau_rc", "fast"));
        fails("manifest.json: layers[0].neuron.tau_rc");
    }

    @Test
    void fractionalIntegerIsNotTruncated() throws IOException {
        manifest(root -> ((ArrayNode) root.at("/layers/0/kernel")).set(0, 2.5));
        fails("manifest.json: layers[0].kernel");
    }

    @Test
    void missingTensorsMap() throws IOException {
        manifest(root -> root.remove("tensors"));
        fails("manifest.json: tensors", "missing");
    }

    @Test
    void missingSection() throws IOException {
        manifest(root -> root.remove("simulation"));
        fails("manifest.json: simulation: missing");
    }

    @Test
    void unknownLayerType() throws IOException {
        manifest(root -> at(root, "/layers/1").put("type", "maxpool"));
        fails("manifest.json: layers[1] (pool1).type", "unknown layer type \"maxpool\"");
    }

    @Test
    void unknownNeuronType() throws IOException {
        manifest(root -> at(root, "/layers/0/neuron").put("type", "izhikevich"));
        fails("manifest.json: layers[0] (conv1).neuron.type", "unknown neuron type \"izhikevich\"");
    }

    @Test
    void unknownSynapseType() throws IOException {
        manifest(root -> at(root, "/simulation/synapse").put("type", "exp2"));
        fails("manifest.json: simulation.synapse.type", "unknown synapse type \"exp2\"");
    }

    @Test
    void unknownMode() throws IOException {
        manifest(root -> at(root, "/simulation").put("mode", "batch"));
        fails("manifest.json: simulation.mode", "unknown mode \"batch\"");
    }

    @Test
    void unknownColorOrder() throws IOException {
        manifest(root -> at(root, "/input").put("color_order", "yuv"));
        fails("manifest.json: input.color_order", "unknown color_order \"yuv\"");
    }

    @Test
    void unknownResize() throws IOException {
        manifest(root -> at(root, "/input").put("resize", "letterbox"));
        fails("manifest.json: input.resize", "unknown resize \"letterbox\"");
    }

    @Test
    void channelsDisagreeWithColorOrder() throws IOException {
        manifest(root -> at(root, "/input").put("color_order", "rgb"));
        fails("manifest.json: input.channels", "color_order rgb has 3 channel(s)");
    }

    @Test
    void emptyLabels() throws IOException {
        manifest(root -> root.putArray("labels"));
        fails("manifest.json: labels", "empty");
    }

    // --- the layer chain ---

    @Test
    void firstLayerDoesNotTakeTheInput() throws IOException {
        manifest(root -> at(root, "/layers/0").putArray("in_shape").add(7).add(8).add(1));
        fails("manifest.json: layers[0] (conv1).in_shape", "expected [8, 8, 1] (input", "found [7, 8, 1]");
    }

    @Test
    void layerDoesNotTakeThePreviousOutput() throws IOException {
        manifest(root -> at(root, "/layers/2").putArray("in_shape").add(4).add(4).add(3));
        fails("manifest.json: layers[2] (lc1).in_shape", "expected [4, 4, 2] (out_shape of pool1)");
    }

    @Test
    void outShapeContradictsTheFormula() throws IOException {
        manifest(root -> {
            at(root, "/layers/1").putArray("out_shape").add(3).add(3).add(2);
            at(root, "/layers/2").putArray("in_shape").add(3).add(3).add(2);
        });
        fails("manifest.json: layers[1] (pool1).out_shape", "expected [4, 4, 2]", "found [3, 3, 2]");
    }

    @Test
    void lastLayerDoesNotMatchLabels() throws IOException {
        manifest(root -> ((ArrayNode) root.get("labels")).remove(2));
        fails("manifest.json: layers[3] (fc).out_shape", "3 outputs but there are 2 labels");
    }

    // --- tensors ---

    @Test
    void referencedTensorMissing() throws IOException {
        manifest(root -> at(root, "/layers/0").put("weights", "nope.W"));
        fails("manifest.json: layers[0] (conv1).weights", "nope.W", "not in the bundle");
    }

    @Test
    void listedTensorEntryMissing() throws IOException {
        Map<String, byte[]> entries = Fixtures.entries(file);
        entries.remove("conv1.b.npy");
        Fixtures.rewrite(file, entries);
        fails("manifest.json: tensors.conv1.b", "no entry conv1.b.npy");
    }

    @Test
    void unlistedTensorEntry() throws IOException {
        Map<String, byte[]> entries = Fixtures.entries(file);
        entries.put("stray.npy", Npy.encode(Tensor.ofInt32(new int[]{1}, new int[]{7})));
        Fixtures.rewrite(file, entries);
        fails("stray.npy", "not listed in manifest.json tensors");
    }

    @Test
    void badMagic() throws IOException {
        editEntry(file, "conv1.W.npy", b -> {
            b[1] = 'X';
            return b;
        });
        fails("conv1.W.npy: bad magic");
    }

    @Test
    void unsupportedDtype() throws IOException {
        editEntry(file, "conv1.W.npy", b -> replaceAscii(b, "'<f4'", "'>f4'"));
        fails("conv1.W.npy: unsupported dtype '>f4'");
    }

    @Test
    void fortranOrder() throws IOException {
        editEntry(file, "conv1.W.npy", b -> replaceAscii(b, "False", "True "));
        fails("conv1.W.npy: fortran_order True");
    }

    @Test
    void dataLengthDoesNotMatchShape() throws IOException {
        editEntry(file, "conv1.W.npy", b -> Arrays.copyOf(b, b.length - 4));
        fails("conv1.W.npy: data is 68 bytes but shape [3, 3, 1, 2] of <f4 needs 72");
    }

    @Test
    void shapeMismatchVersusLayer() throws IOException {
        replaceTensor(file, "conv1.W", Tensor.ofFloat32(new int[]{3, 3, 1, 3}, new float[27]));
        fails("conv1.W.npy", "shape mismatch for layers[0] (conv1).weights", "expected [3, 3, 1, 2]",
                "found [3, 3, 1, 3]");
    }

    @Test
    void meanTensorShapeMismatch() throws IOException {
        replaceTensor(file, "input.mean", Tensor.ofFloat32(new int[]{8, 8}, new float[64]));
        fails("input.mean.npy", "input.mean_tensor", "expected [8, 8, 1]");
    }

    @Test
    void integerLayerParameters() throws IOException {
        replaceTensor(file, "fc.b", Tensor.ofInt32(new int[]{3}, new int[]{1, 2, 3}));
        fails("fc.b.npy", "layers[3] (fc).bias", "dtype int32 (must be float32 or float16)");
    }

    @Test
    void nanInFloatTensor() throws IOException {
        float[] w = new float[18];
        w[5] = Float.NaN;
        replaceTensor(file, "conv1.W", Tensor.ofFloat32(new int[]{3, 3, 1, 2}, w));
        fails("conv1.W.npy", "tensor conv1.W has NaN at flat index 5");
    }

    @Test
    void infInFloat16Tensor() throws IOException {
        float[] b = new float[12];
        b[3] = 1e6f; // beyond half precision: becomes Inf
        replaceTensor(file, "lc1.b", Tensor.ofFloat16(new int[]{2, 2, 3}, b));
        fails("lc1.b.npy", "tensor lc1.b has Infinity at flat index 3");
    }

    @Test
    void sha256Mismatch() throws IOException {
        editEntry(file, "fc.W.npy", b -> {
            b[b.length - 1] ^= 1;
            return b;
        });
        fails("fc.W.npy", "sha256 mismatch");
    }

    @Test
    void manifestTensorRecordDisagrees() throws IOException {
        manifest(root -> at(root, "/tensors/fc.b").put("dtype", "float16"));
        fails("fc.b.npy", "manifest.json tensors says float16[3]", "holds float32[3]");
    }

    // --- parameters ---

    @ParameterizedTest
    @CsvSource({"tau_rc, 0", "tau_rc, -0.02", "tau_ref, -0.001", "gain, 0", "amplitude, 0", "gamma, -0.1"})
    void neuronParameterOutOfRange(String field, double value) throws IOException {
        manifest(root -> at(root, "/layers/0/neuron").put(field, value));
        fails("manifest.json: layers[0] (conv1).neuron." + field, "found " + value);
    }

    @ParameterizedTest
    @CsvSource({
            "dt, 0, simulation.dt",
            "dt, -0.001, simulation.dt",
            "presentation, 0.0005, simulation.presentation",
            "readout_start, -0.05, simulation.readout_start",
            "readout_end, 0.3, simulation.readout_end",
            "readout_start, 0.2, simulation.readout_start"})
    void simulationOutOfRange(String key, double value, String field) throws IOException {
        manifest(root -> at(root, "/simulation").put(key, value));
        fails("manifest.json: " + field);
    }

    @Test
    void synapseWithoutTimeConstant() throws IOException {
        manifest(root -> at(root, "/simulation/synapse").put("tau", 0.0));
        fails("manifest.json: simulation.synapse.tau", "must be > 0");
    }

    @Test
    void sourceSizeSmallerThanInput() throws IOException {
        manifest(root -> at(root, "/input").putArray("source_size").add(6).add(8));
        fails("manifest.json: input.source_size", "no smaller than [height, width] = [8, 8]");
    }

    @Test
    void avgpoolWithNeuron() throws IOException {
        manifest(root -> at(root, "/layers/1").putObject("neuron").put("type", "relu"));
        fails("manifest.json: layers[1] (pool1).neuron", "avgpool takes no neuron");
    }

    // --- in memory and on write ---

    @Test
    void writeValidatesBeforeTouchingTheDisk() {
        Bundle good = Fixtures.net();
        Map<String, Tensor> t = new LinkedHashMap<>(good.tensors());
        t.put("fc.W", Tensor.ofFloat32(new int[]{3, 12}, new float[36]));
        Path out = dir.resolve("bad.lifb");
        BundleException e = assertThrows(BundleException.class, () -> new Bundle(good.manifest(), t).write(out, false));
        assertTrue(e.getMessage().contains("fc.W.npy: shape mismatch for layers[3] (fc).weights: expected [12, 3], found [3, 12]"),
                e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void validateInMemoryNamesTheOrigin() {
        Manifest m = Fixtures.net().manifest();
        Bundle noLabels = new Bundle(new Manifest(1, "x", List.of(), m.input(), m.layers(), m.simulation(), null,
                null, null), Fixtures.net().tensors());
        BundleException e = assertThrows(BundleException.class, () -> noLabels.validate("trainer output"));
        assertEquals("trainer output: manifest.json: labels: missing or empty: a classifier needs labels", e.getMessage());
        assertEquals("manifest.json: labels", e.entry());
    }
}
