package dev.lifvision.network;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.InputSpec;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.Manifest;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.bundle.SimulationSpec;
import dev.lifvision.bundle.Tensor;
import dev.lifvision.neuron.NeuronModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Networks with seeded random weights, for tests and benchmarks before (or without) training.
 * Each weighted layer is scaled, in order, so that its pre-activations {@code W x + b} have the
 * requested standard deviation on sample inputs propagated through the layers before it: this
 * puts neurons in their working range (about half of them firing) as a trained net would.
 */
public final class RandomNetworks {
    private RandomNetworks() {
    }

    public static Bundle build(String name, InputSpec input, List<LayerSpec> layers, List<String> labels, long seed,
                               float[][] samples, double targetStd) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        float[][] acts = new float[samples.length][];
        for (int s = 0; s < samples.length; s++) {
            acts[s] = samples[s].clone();
        }
        for (LayerSpec l : layers) {
            LinearOp op;
            float[] w = null;
            float[] b = null;
            if (l.type().equals("avgpool")) {
                op = new AvgPool2d(l.inShape(), l.outShape(), l.kernel()[0], l.stride()[0], l.padding()[0],
                        l.countIncludePad());
            } else {
                int[] wShape = switch (l.type()) {
                    case "dense" -> new int[]{l.inSize(), l.outSize()};
                    case "conv2d" -> new int[]{l.kernel()[0], l.kernel()[1], l.inShape()[2], l.outShape()[2]};
                    default -> new int[]{l.outShape()[0], l.outShape()[1], l.kernel()[0], l.kernel()[1],
                            l.inShape()[2], l.outShape()[2]};
                };
                int n = 1;
                for (int d : wShape) {
                    n *= d;
                }
                w = new float[n];
                int fanIn = n / wShape[wShape.length - 1];
                if (l.type().equals("locally_connected")) {
                    fanIn /= l.outShape()[0] * l.outShape()[1];
                }
                double sd = 1.0 / Math.sqrt(fanIn);
                for (int i = 0; i < n; i++) {
                    w[i] = (float) (rnd.nextGaussian() * sd);
                }
                op = l.type().equals("dense") ? new Dense(l.inSize(), l.outSize(), w)
                        : new Conv2d(l.inShape(), l.outShape(), l.kernel(), l.stride(), l.padding(), w,
                        l.type().equals("locally_connected"));
                int[] bShape = l.type().equals("locally_connected")
                        ? new int[]{l.outShape()[0], l.outShape()[1], l.outShape()[2]}
                        : new int[]{l.outShape()[l.outShape().length - 1]};
                b = new float[bShape.length == 1 ? bShape[0] : l.outSize()];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) (rnd.nextGaussian() * 0.1);
                }
                tensors.put(l.weights(), Tensor.ofFloat32(wShape, w));
                tensors.put(l.bias(), Tensor.ofFloat32(bShape, b));
            }
            float[][] pre = new float[acts.length][op.outSize()];
            double sum = 0;
            double sq = 0;
            long count = 0;
            for (int s = 0; s < acts.length; s++) {
                op.forward(acts[s], pre[s]);
                if (b != null) {
                    for (int i = 0; i < pre[s].length; i++) {
                        pre[s][i] += b[i % b.length];
                    }
                }
                for (float v : pre[s]) {
                    sum += v;
                    sq += v * v;
                    count++;
                }
            }
            if (w != null) {
                double mean = sum / count;
                double std = Math.sqrt(Math.max(1e-12, sq / count - mean * mean));
                float k = (float) (targetStd / std);
                for (int i = 0; i < w.length; i++) {
                    w[i] *= k;
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] *= k;
                }
                for (float[] p : pre) {
                    for (int i = 0; i < p.length; i++) {
                        p[i] *= k;
                    }
                }
            }
            if (l.neuron() != null && !l.type().equals("avgpool")) {
                NeuronModel m = NeuronModel.of(l.neuron());
                for (float[] p : pre) {
                    m.activate(p, p.length);
                }
            }
            acts = pre;
        }
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, name, labels, input, layers, SimulationSpec.defaults(), null,
                null, null);
        return new Bundle(m, tensors);
    }

    /** The spiking-runtime benchmark's dense net (a): 784-500-500-10 with the given hidden neurons. */
    public static List<LayerSpec> denseMnist(NeuronSpec hidden) {
        LayerSpec d1 = LayerSpec.dense("dense1", new int[]{28, 28, 1}, 500, hidden);
        LayerSpec d2 = LayerSpec.dense("dense2", d1.outShape(), 500, hidden);
        LayerSpec out = LayerSpec.dense("output", d2.outShape(), 10, NeuronSpec.linear());
        return List.of(d1, d2, out);
    }

    /** The benchmark's conv net (b): conv 20@5x5 -> conv 50@5x5 -> dense 10, stride 1, valid padding. */
    public static List<LayerSpec> convMnist(NeuronSpec hidden) {
        LayerSpec c1 = LayerSpec.conv2d("conv1", new int[]{28, 28, 1}, 20, 5, 5, 1, 1, 0, 0, hidden);
        LayerSpec c2 = LayerSpec.conv2d("conv2", c1.outShape(), 50, 5, 5, 1, 1, 0, 0, hidden);
        LayerSpec out = LayerSpec.dense("output", c2.outShape(), 10, NeuronSpec.linear());
        return List.of(c1, c2, out);
    }

    public static InputSpec mnistInput() {
        return new InputSpec(28, 28, 1, "gray", "stretch", 1.0 / 255, 0.0, null);
    }

    public static List<String> digits() {
        return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }
}
