package dev.lifvision.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleRoundTripTest {
    @TempDir
    Path dir;

    /** The fixture network plus one extra tensor of every dtype. */
    private static Bundle withAllDtypes() {
        Bundle net = Fixtures.net();
        Map<String, Tensor> t = new LinkedHashMap<>(net.tensors());
        float[] ramp = new float[24];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (i - 12) / 7f;
        }
        t.put("aux.f32", Tensor.ofFloat32(new int[]{2, 3, 4}, ramp));
        t.put("aux.f16", Tensor.ofFloat16(new int[]{2, 3, 4}, ramp));
        t.put("aux.i8", Tensor.ofInt8(new int[]{5}, new byte[]{-128, -1, 0, 1, 127}));
        t.put("aux.i32", Tensor.ofInt32(new int[]{1, 3}, new int[]{Integer.MIN_VALUE, 0, Integer.MAX_VALUE}));
        t.put("aux.scalar", Tensor.ofFloat32(new int[0], new float[]{2.5f}));
        t.put("aux.empty", Tensor.ofInt32(new int[]{0, 4}, new int[0]));
        return new Bundle(net.manifest(), t);
    }

    @Test
    void everyDtypeRoundTrips() throws IOException {
        Bundle b = withAllDtypes();
        Path f = dir.resolve("all.lifb");
        b.write(f, false);
        Bundle r = Bundle.read(f);
        assertEquals(b.tensors().keySet().stream().toList(), r.tensors().keySet().stream().toList(), "entry order kept");
        for (String name : b.tensors().keySet()) {
            assertEquals(b.tensor(name), r.tensor(name), name);
        }
        assertEquals("float16", r.tensor("aux.f16").dtype());
        assertEquals(Half.round(-12 / 7f), r.tensor("aux.f16").floats()[0]); // rounded once, then exact
        assertNotEquals(-12 / 7f, r.tensor("aux.f16").floats()[0]);
        assertArrayEquals(new int[]{-128, -1, 0, 1, 127}, r.tensor("aux.i8").ints());
        assertArrayEquals(new int[]{0, 4}, r.tensor("aux.empty").shape());
        assertEquals(2.5f, r.tensor("aux.scalar").floats()[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.tensor("nope"));
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void networkRoundTrips() throws IOException {
        Bundle b = Fixtures.net();
        ObjectNode prov = Json.MAPPER.createObjectNode().put("trainer", "test").put("epochs", 3);
        b = new Bundle(b.manifest().withProvenance(prov), b.tensors());
        Path f = dir.resolve("net.lifb");
        b.write(f, false);
        Bundle r = Bundle.read(f);
        Manifest m = r.manifest();
        assertEquals(b.manifest(), m.withTensors(null));
        assertEquals(4, m.layers().size());
        assertEquals(List.of("conv2d", "avgpool", "locally_connected", "dense"),
                m.layers().stream().map(LayerSpec::type).toList());
        assertArrayEquals(new int[]{2, 2, 3}, m.layers().get(2).outShape());
        assertNull(m.calibration());
        assertEquals(prov, m.provenance());
        assertEquals(b.tensors().keySet(), m.tensors().keySet());
        TensorInfo info = m.tensors().get("lc1.W");
        assertEquals("float16", info.dtype());
        assertArrayEquals(new int[]{2, 2, 3, 3, 2, 3}, info.shape());
        assertEquals(r.tensor("lc1.W").sha256(), info.sha256());
        for (String name : b.tensors().keySet()) {
            assertEquals(b.tensor(name), r.tensor(name), name);
        }
        assertNull(b.manifest().tensors(), "write does not change the bundle it was called on");
    }

    @Test
    void manifestJsonIsSnakeCaseAndOmitsNulls() throws IOException {
        Path f = Fixtures.written(dir);
        byte[] json = Fixtures.entries(f).get("manifest.json");
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\n  \"format\" : \"lifvision-bundle\",\n  \"format_version\" : 1,"), text);
        JsonNode root = Json.MAPPER.readTree(json);
        JsonNode pool = root.at("/layers/1");
        assertTrue(pool.has("count_include_pad") && pool.has("in_shape") && pool.has("out_shape"), pool.toString());
        assertFalse(pool.has("neuron") || pool.has("weights") || pool.has("bias"), pool.toString());
        assertFalse(root.at("/layers/3").has("kernel"));
        assertTrue(root.at("/layers/0/neuron").has("tau_rc"));
        assertTrue(root.at("/simulation").has("readout_start"));
        assertTrue(root.at("/input").has("color_order") && root.at("/input").has("mean_tensor"));
        assertFalse(root.at("/input").has("source_size") || root.at("/input").has("resized_size"));
        assertFalse(root.has("calibration") || root.has("provenance"));
        assertEquals(64, root.at("/tensors/input.mean/sha256").asText().length());
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() throws IOException {
        Path f = Fixtures.written(dir);
        Fixtures.editManifest(f, root -> {
            root.put("future_section", "x");
            Fixtures.at(root, "/layers/0").put("dilation", 2);
        });
        assertEquals("tiny", Bundle.read(f).manifest().name());
    }

    @Test
    void sourceSizeRoundTrips() throws IOException {
        Bundle net = Fixtures.net();
        Manifest m = net.manifest();
        InputSpec in = new InputSpec(8, 8, 1, "gray", "stretch", 0.5, -1, "input.mean", new int[]{10, 12});
        Map<String, Tensor> t = new LinkedHashMap<>(net.tensors());
        t.put("input.mean", Tensor.ofFloat32(new int[]{10, 12, 1}, new float[120]));
        Bundle b = new Bundle(new Manifest(1, m.name(), m.labels(), in, m.layers(), m.simulation(), null, null, null), t);
        Path f = dir.resolve("src.lifb");
        b.write(f, false);
        assertEquals(in, Bundle.read(f).manifest().input());
        assertArrayEquals(new int[]{10, 12}, in.resizedSize());
    }

    @Test
    void modelHashIsStableAndSensitive() throws IOException {
        Bundle b = Fixtures.net();
        Path f = dir.resolve("h.lifb");
        b.write(f, false);
        Bundle r = Bundle.read(f);
        assertEquals(b.sha256(), r.sha256());
        assertEquals(64, b.sha256().length());
        assertEquals(b.sha256(), Fixtures.net().sha256(), "deterministic");

        Map<String, Tensor> t = new LinkedHashMap<>(b.tensors());
        float[] w = b.tensor("fc.b").floats().clone();
        w[0] += 1e-3f;
        t.put("fc.b", Tensor.ofFloat32(new int[]{3}, w));
        assertNotEquals(b.sha256(), new Bundle(b.manifest(), t).sha256());
        assertNotEquals(b.sha256(), new Bundle(b.manifest().withName("other"), b.tensors()).sha256());
    }

    @Test
    void writingIsReproducible() throws IOException {
        Path a = dir.resolve("a.lifb");
        Path b = dir.resolve("b.lifb");
        Fixtures.net().write(a, false);
        Fixtures.net().write(b, false);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void refusesToOverwriteUnlessAsked() throws IOException {
        Path f = dir.resolve("x.lifb");
        Files.writeString(f, "precious");
        BundleException e = assertThrows(BundleException.class, () -> Fixtures.net().write(f, false));
        assertTrue(e.getMessage().startsWith(f + ": already exists"), e.getMessage());
        assertTrue(e.getMessage().contains("overwrite=true"), e.getMessage());
        assertEquals("precious", Files.readString(f));

        Fixtures.net().write(f, true);
        assertEquals("tiny", Bundle.read(f).manifest().name());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temp files left behind");
        }
    }

    @Test
    void createsMissingDirectories() throws IOException {
        Path f = dir.resolve("models/mnist/net.lifb");
        Fixtures.net().write(f, false);
        assertTrue(Files.isRegularFile(f));
    }

    /**
     * The file is a real .npz: numpy loads it (checking values, dtypes, float16 rounding against numpy's own),
     * and an .npz written by numpy itself, with our manifest.json added, reads back identically.
     */
    @Test
    void numpyInterop() throws Exception {
        Assumptions.assumeTrue(python("import numpy") == 0,
                "SKIPPED: python3 with numpy is not available, so the numpy.load check cannot run");
        Bundle b = withAllDtypes();
        Path ours = dir.resolve("ours.lifb");
        Path theirs = dir.resolve("theirs.lifb");
        b.write(ours, false);
        String script = String.join("\n",
                "import sys, json, zipfile, numpy as np",
                "z = np.load(sys.argv[1])",
                "w = z['conv1.W']",
                "assert w.shape == (3, 3, 1, 2) and w.dtype == np.float32, (w.shape, w.dtype)",
                "f = z['aux.f32']",
                "assert f.shape == (2, 3, 4) and np.array_equal(f.ravel(), ((np.arange(24) - 12) / np.float32(7)).astype(np.float32)), f",
                "h = z['aux.f16']",
                "assert h.dtype == np.float16 and np.array_equal(h, f.astype(np.float16)), h",
                "assert z['aux.i8'].dtype == np.int8 and z['aux.i8'].tolist() == [-128, -1, 0, 1, 127]",
                "assert z['aux.i32'].tolist() == [[-2**31, 0, 2**31 - 1]]",
                "assert z['aux.scalar'].shape == () and z['aux.empty'].shape == (0, 4)",
                "manifest = z['manifest.json']",
                "assert json.loads(manifest)['format'] == 'lifvision-bundle'",
                "with open(sys.argv[2], 'wb') as fh:  # a path would get '.npz' appended",
                "    np.savez(fh, **{k: z[k] for k in z.files if k != 'manifest.json'})",
                "with zipfile.ZipFile(sys.argv[2], 'a') as out:",
                "    out.writestr('manifest.json', manifest)",
                "print('ok')");
        assertEquals(0, python(script, ours.toString(), theirs.toString()), "numpy check failed (see stderr)");
        Bundle r = Bundle.read(theirs);
        assertEquals(b.sha256(), r.sha256());
        for (String name : b.tensors().keySet()) {
            assertEquals(b.tensor(name), r.tensor(name), name);
        }
    }

    private static int python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).inheritIO().start();
        } catch (IOException e) {
            return -1; // no python3 at all
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -2;
        }
        return p.exitValue();
    }
}
