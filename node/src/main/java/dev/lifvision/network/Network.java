package dev.lifvision.network;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.NeuronSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The network description every backend runs: a bundle's layers turned into flat arrays, grouped
 * into {@link Stage}s (one per neuron population). Immutable; one instance is shared by all
 * simulator threads.
 */
public final class Network {
    private final String name;
    private final List<String> labels;
    private final int inputSize;
    private final Stage[] stages;
    /** The bundle this network was built from (backends that re-derive parameters, e.g. the emulator, need it); null when built in code. */
    private Bundle source;

    public Network(String name, List<String> labels, int inputSize, Stage[] stages) {
        this.name = name;
        this.labels = List.copyOf(labels);
        this.inputSize = inputSize;
        this.stages = stages;
        if (stages.length == 0) {
            throw new IllegalArgumentException("network " + name + " has no layers");
        }
        if (stages[0].inSize() != inputSize) {
            throw new IllegalArgumentException("network " + name + ": first layer expects " + stages[0].inSize()
                    + " inputs, input has " + inputSize);
        }
        for (int k = 1; k < stages.length; k++) {
            if (stages[k].inSize() != stages[k - 1].size()) {
                throw new IllegalArgumentException("network " + name + ": stage " + stages[k].name + " expects "
                        + stages[k].inSize() + " inputs, stage " + stages[k - 1].name + " gives " + stages[k - 1].size());
            }
        }
        if (stages[stages.length - 1].size() != labels.size()) {
            throw new IllegalArgumentException("network " + name + ": " + labels.size() + " labels but the last layer has "
                    + stages[stages.length - 1].size() + " outputs");
        }
    }

    /** Builds the network of a (validated) bundle. */
    public static Network of(Bundle bundle) {
        var m = bundle.manifest();
        List<Stage> stages = new ArrayList<>();
        List<LinearOp> pending = new ArrayList<>();
        String pendingNames = "";
        for (LayerSpec layer : m.layers()) {
            LinearOp op = switch (layer.type()) {
                case "dense" -> new Dense(layer.inSize(), layer.outSize(), weights(bundle, layer.weights()));
                case "conv2d" -> new Conv2d(layer.inShape(), layer.outShape(), layer.kernel(), layer.stride(),
                        layer.padding(), weights(bundle, layer.weights()), false);
                case "locally_connected" -> new Conv2d(layer.inShape(), layer.outShape(), layer.kernel(),
                        layer.stride(), layer.padding(), weights(bundle, layer.weights()), true);
                case "avgpool" -> new AvgPool2d(layer.inShape(), layer.outShape(), layer.kernel()[0],
                        layer.stride()[0], layer.padding()[0], layer.countIncludePad());
                default -> throw new IllegalArgumentException("layer " + layer.name() + ": unknown type " + layer.type());
            };
            pending.add(op);
            pendingNames = pendingNames.isEmpty() ? layer.name() : pendingNames + "+" + layer.name();
            if (layer.neuron() != null && !layer.type().equals("avgpool")) {
                float[] bias = expandBias(layer, layer.bias() == null ? null : bundle.tensor(layer.bias()).floats());
                stages.add(new Stage(pendingNames, pending.toArray(new LinearOp[0]), bias, layer.neuron(),
                        layer.outShape()));
                pending.clear();
                pendingNames = "";
            }
        }
        if (!pending.isEmpty()) {
            // trailing pools without a weighted layer: a linear readout of the pooled values
            LinearOp last = pending.get(pending.size() - 1);
            LayerSpec lastLayer = m.layers().get(m.layers().size() - 1);
            stages.add(new Stage(pendingNames, pending.toArray(new LinearOp[0]), new float[last.outSize()],
                    NeuronSpec.linear(), lastLayer.outShape()));
        }
        var in = m.input();
        Network net = new Network(m.name(), m.labels(), in.height() * in.width() * in.channels(),
                stages.toArray(new Stage[0]));
        net.source = bundle;
        return net;
    }

    /** A layer's weights as floats; int8 weights are multiplied by their per-output-channel scales. */
    public static float[] weights(Bundle bundle, String name) {
        var t = bundle.tensor(name);
        if (!t.dtype().equals("int8")) {
            return t.floats();
        }
        float[] scale = bundle.tensor(name + ".scale").floats();
        float[] w = t.floats();
        int c = scale.length;
        for (int i = 0; i < w.length; i++) {
            w[i] *= scale[i % c];
        }
        return w;
    }

    private static float[] expandBias(LayerSpec layer, float[] b) {
        int n = layer.outSize();
        float[] full = new float[n];
        if (b == null) {
            return full;
        }
        if (b.length == n) {
            System.arraycopy(b, 0, full, 0, n);
        } else {
            int c = b.length;
            for (int i = 0; i < n; i++) {
                full[i] = b[i % c];
            }
        }
        return full;
    }

    public String name() {
        return name;
    }

    /** The bundle this network was built from by {@link #of}, or null for a network built in code. */
    public Bundle source() {
        return source;
    }

    public List<String> labels() {
        return labels;
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return stages[stages.length - 1].size();
    }

    public int stageCount() {
        return stages.length;
    }

    public Stage stage(int k) {
        return stages[k];
    }

    /** Neurons in all populations, the output layer included. */
    public long neurons() {
        long n = 0;
        for (Stage s : stages) {
            n += s.size();
        }
        return n;
    }

    /** ANN cost per frame in the efficiency model of the method: 2 FLOPs per connection, 1 per neuron. */
    public long annFlops() {
        long f = 0;
        for (Stage s : stages) {
            f += 2 * s.connections() + s.size();
        }
        return f;
    }
}
