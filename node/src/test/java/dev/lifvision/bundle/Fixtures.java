package dev.lifvision.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Small bundles and zip surgery for the tests. */
final class Fixtures {
    static final List<String> LABELS = List.of("zero", "one", "two");

    private Fixtures() {
    }

    /** input 8x8x1 -> conv 3x3 pad 1 (8x8x2) -> avgpool 2 (4x4x2) -> locally connected 3x3 (2x2x3) -> dense 3. */
    static Bundle net() {
        InputSpec input = new InputSpec(8, 8, 1, "gray", "center_crop", 1 / 255.0, 0, "input.mean");
        LayerSpec conv = LayerSpec.conv2d("conv1", new int[]{8, 8, 1}, 2, 3, 3, 1, 1, 1, 1, NeuronSpec.mnist());
        LayerSpec pool = LayerSpec.avgpool("pool1", conv.outShape(), 2, 2, 0);
        LayerSpec lc = LayerSpec.locallyConnected("lc1", pool.outShape(), 3, 3, 3, 1, 1, 0, 0,
                NeuronSpec.lif(0.02, 0.002, 1.5, 0.05));
        LayerSpec fc = LayerSpec.dense("fc", lc.outShape(), 3, NeuronSpec.linear());
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, "tiny", LABELS, input, List.of(conv, pool, lc, fc),
                SimulationSpec.defaults(), null, null, null);
        Random r = new Random(42);
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("input.mean", Tensor.ofFloat32(new int[]{8, 8, 1}, random(r, 64)));
        t.put("conv1.W", Tensor.ofFloat32(new int[]{3, 3, 1, 2}, random(r, 18)));
        t.put("conv1.b", Tensor.ofFloat32(new int[]{2}, random(r, 2)));
        t.put("lc1.W", Tensor.ofFloat16(new int[]{2, 2, 3, 3, 2, 3}, random(r, 216)));
        t.put("lc1.b", Tensor.ofFloat16(new int[]{2, 2, 3}, random(r, 12)));
        t.put("fc.W", Tensor.ofFloat32(new int[]{12, 3}, random(r, 36)));
        t.put("fc.b", Tensor.ofFloat32(new int[]{3}, random(r, 3)));
        return new Bundle(m, t);
    }

    static Path written(Path dir) throws IOException {
        Path f = dir.resolve("tiny.lifb");
        net().write(f, false);
        return f;
    }

    static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                out.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    static void rewrite(Path zip, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }

    static void editEntry(Path zip, String entry, UnaryOperator<byte[]> change) throws IOException {
        Map<String, byte[]> all = entries(zip);
        if (!all.containsKey(entry)) {
            throw new IllegalArgumentException("no entry " + entry);
        }
        all.put(entry, change.apply(all.get(entry)));
        rewrite(zip, all);
    }

    static void editManifest(Path zip, Consumer<ObjectNode> change) throws IOException {
        editEntry(zip, "manifest.json", bytes -> {
            try {
                ObjectNode root = (ObjectNode) Json.MAPPER.readTree(bytes);
                change.accept(root);
                return Json.MAPPER.writeValueAsBytes(root);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Replaces a tensor's entry and its manifest record consistently, so only the intended check can fire. */
    static void replaceTensor(Path zip, String name, Tensor t) throws IOException {
        editEntry(zip, name + ".npy", old -> Npy.encode(t));
        editManifest(zip, root -> ((ObjectNode) root.get("tensors"))
                .set(name, Json.MAPPER.valueToTree(new TensorInfo(t.dtype(), t.shape(), t.sha256()))));
    }

    static ObjectNode at(ObjectNode root, String pointer) {
        JsonNode n = root.at(pointer);
        if (!n.isObject()) {
            throw new IllegalArgumentException("no object at " + pointer);
        }
        return (ObjectNode) n;
    }
}
