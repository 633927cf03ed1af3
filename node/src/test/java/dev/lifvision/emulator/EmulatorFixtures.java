package dev.lifvision.emulator;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.InputSpec;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.Manifest;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.bundle.SimulationSpec;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.bundle.Tensor;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.network.RandomNetworks;
import dev.lifvision.network.SimOptions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small bundles for the emulator tests. */
final class EmulatorFixtures {
    static final NeuronSpec LIF = NeuronSpec.lif(0.022, 0.002, 1.0, 0.063);
    static final InputSpec IN12 = new InputSpec(12, 12, 1, "gray", "stretch", 1.0 / 255, 0, null);

    private EmulatorFixtures() {
    }

    static float[][] images(int n, long seed) {
        return dev.lifvision.network.SpikingSimulatorTest.images(n, seed);
    }

    /** 12x12 -> conv 6@3x3 -> pool 2 -> dense 30 -> dense 10, seeded random weights. */
    static Bundle convNet(float[][] samples, double std) {
        LayerSpec c1 = LayerSpec.conv2d("conv1", new int[]{12, 12, 1}, 6, 3, 3, 1, 1, 1, 1, LIF);
        LayerSpec p1 = LayerSpec.avgpool("pool1", c1.outShape(), 2, 2, 0);
        LayerSpec d1 = LayerSpec.dense("dense1", p1.outShape(), 30, LIF);
        LayerSpec out = LayerSpec.dense("out", d1.outShape(), 10, NeuronSpec.linear());
        return RandomNetworks.build("emu", IN12, List.of(c1, p1, d1, out), RandomNetworks.digits(), 7, samples, std);
    }

    /**
     * 12x12 -> conv 6@3x3 -> pool 3 s2 pad 1 -> conv 8@3x3 -> pool 3 s2 pad 1 -> dense 10, pools not
     * counting their padding (as cifar10-conv's): border cells divide by 4 or 6, the interior by 9.
     */
    static Bundle borderPoolNet(float[][] samples, double std) {
        LayerSpec c1 = LayerSpec.conv2d("conv1", new int[]{12, 12, 1}, 6, 3, 3, 1, 1, 1, 1, LIF);
        LayerSpec p1 = paddedPool("pool1", c1.outShape());
        LayerSpec c2 = LayerSpec.conv2d("conv2", p1.outShape(), 8, 3, 3, 1, 1, 1, 1, LIF);
        LayerSpec p2 = paddedPool("pool2", c2.outShape());
        LayerSpec out = LayerSpec.dense("out", p2.outShape(), 10, NeuronSpec.linear());
        return RandomNetworks.build("emu-border", IN12, List.of(c1, p1, c2, p2, out), RandomNetworks.digits(), 11,
                samples, std);
    }

    /** Average pool 3x3, stride 2, padding 1, padding left out of the divisor. */
    static LayerSpec paddedPool(String name, int[] in) {
        LayerSpec p = LayerSpec.avgpool(name, in, 3, 2, 1);
        return new LayerSpec(name, "avgpool", p.inShape(), p.outShape(), p.kernel(), p.stride(), p.padding(), false,
                null, null, null);
    }

    static SimOptions options(double presentation, String synapse, InputCoding coding) {
        return new SimOptions(0.001, presentation, presentation * 0.3, presentation, SynapseSpec.parse(synapse), false,
                coding, 250, 1);
    }

    /** One pixel -> dense 1 LIF -> dense 1 linear, weights 1 (the integer parameters are set by hand). */
    static Bundle singleNeuron() {
        InputSpec in = new InputSpec(1, 1, 1, "gray", "stretch", 1.0 / 255, 0, null);
        LayerSpec d1 = LayerSpec.dense("d1", new int[]{1, 1, 1}, 1, LIF);
        LayerSpec out = LayerSpec.dense("out", d1.outShape(), 1, NeuronSpec.linear());
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("d1.W", Tensor.ofFloat32(new int[]{1, 1}, new float[]{1}));
        t.put("d1.b", Tensor.ofFloat32(new int[]{1}, new float[]{0}));
        t.put("out.W", Tensor.ofFloat32(new int[]{1, 1}, new float[]{1}));
        t.put("out.b", Tensor.ofFloat32(new int[]{1}, new float[]{0}));
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, "one", List.of("a"), in, List.of(d1, out),
                SimulationSpec.defaults(), null, null, null);
        return new Bundle(m, t);
    }

    /** A dense layer with a fan-in of {@code fanIn} inputs (input fanIn x 1 x 1). */
    static Bundle wideDense(int fanIn) {
        InputSpec in = new InputSpec(fanIn, 1, 1, "gray", "stretch", 1.0 / 255, 0, null);
        LayerSpec d1 = LayerSpec.dense("wide", new int[]{fanIn, 1, 1}, 4, LIF);
        LayerSpec out = LayerSpec.dense("out", d1.outShape(), 2, NeuronSpec.linear());
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("wide.W", Tensor.ofFloat32(new int[]{fanIn, 4}, new float[fanIn * 4]));
        t.put("wide.b", Tensor.ofFloat32(new int[]{4}, new float[4]));
        t.put("out.W", Tensor.ofFloat32(new int[]{4, 2}, new float[]{1, 0, 0, 1, 1, 0, 0, 1}));
        t.put("out.b", Tensor.ofFloat32(new int[]{2}, new float[2]));
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, "wide", List.of("a", "b"), in, List.of(d1, out),
                SimulationSpec.defaults(), null, null, null);
        return new Bundle(m, t);
    }
}
