package dev.lifvision.network;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.BundleException;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class QuantisedWeightsTest {
    @TempDir
    Path dir;

    @Test
    void int8WeightsWithPerChannelScalesLoadAndClassifyLikeFloat() throws Exception {
        float[][] x = SpikingSimulatorTest.images(30, 11);
        LayerSpec c1 = LayerSpec.conv2d("conv1", new int[]{12, 12, 1}, 4, 3, 3, 1, 1, 1, 1, SpikingSimulatorTest.LIF);
        LayerSpec d = LayerSpec.dense("out", c1.outShape(), 10, dev.lifvision.bundle.NeuronSpec.linear());
        Bundle f = RandomNetworks.build("q", SpikingSimulatorTest.IN, List.of(c1, d), RandomNetworks.digits(), 5, x, 2);
        Map<String, Tensor> q = new LinkedHashMap<>(f.tensors());
        for (LayerSpec l : List.of(c1, d)) {
            Tensor w = f.tensor(l.weights());
            int c = w.shape()[w.shape().length - 1];
            float[] v = w.floats();
            float[] scale = new float[c];
            for (int i = 0; i < v.length; i++) {
                scale[i % c] = Math.max(scale[i % c], Math.abs(v[i]) / 127f);
            }
            byte[] b = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = (byte) Math.round(v[i] / scale[i % c]);
            }
            q.put(l.weights(), Tensor.ofInt8(w.shape(), b));
            q.put(l.weights() + ".scale", Tensor.ofFloat32(new int[]{c}, scale));
        }
        Path file = dir.resolve("q.lifb");
        new Bundle(f.manifest(), q).write(file, false);
        Network nf = Network.of(f);
        Network nq = Network.of(Bundle.read(file));
        RateSimulator a = new RateSimulator(nf);
        RateSimulator b = new RateSimulator(nq);
        FrameResult ra = a.newResult(), rb = b.newResult();
        int agree = 0;
        for (float[] img : x) {
            a.present(img, ra);
            b.present(img, rb);
            agree += ra.argmax() == rb.argmax() ? 1 : 0;
        }
        assertTrue(agree >= 28, "int8 and float agree on " + agree + "/30");

        q.remove("conv1.W.scale");
        BundleException e = assertThrows(BundleException.class, () -> new Bundle(f.manifest(), q).write(dir.resolve("bad.lifb"), false));
        assertTrue(e.getMessage().contains("conv1.W.scale"), e.getMessage());
    }
}
