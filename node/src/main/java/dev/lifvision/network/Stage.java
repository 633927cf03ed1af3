package dev.lifvision.network;

import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.neuron.NeuronModel;

/**
 * One population of neurons and the linear path that feeds it: zero or more average pools
 * followed by at most one weighted layer. A pooling layer has no neurons of its own, so it is
 * folded into the connection of the next population.
 */
public final class Stage {
    final String name;
    final LinearOp[] ops;
    /** Bias per neuron (a convolution's per-channel bias repeated over positions). */
    final float[] bias;
    final NeuronSpec neuron;
    final NeuronModel rate;
    final int[] shape;

    Stage(String name, LinearOp[] ops, float[] bias, NeuronSpec neuron, int[] shape) {
        this.name = name;
        this.ops = ops;
        this.bias = bias;
        this.neuron = neuron;
        this.rate = NeuronModel.of(neuron);
        this.shape = shape;
        int last = ops[ops.length - 1].outSize();
        if (bias.length != last) {
            throw new IllegalArgumentException("stage " + name + ": bias has " + bias.length + " values for "
                    + last + " neurons");
        }
        for (int k = 1; k < ops.length; k++) {
            if (ops[k].inSize() != ops[k - 1].outSize()) {
                throw new IllegalArgumentException("stage " + name + ": op " + k + " expects " + ops[k].inSize()
                        + " inputs, previous gives " + ops[k - 1].outSize());
            }
        }
        for (int k = 0; k < ops.length - 1; k++) {
            if (!(ops[k] instanceof AvgPool2d)) {
                throw new IllegalArgumentException("stage " + name
                        + ": only average pools may sit between two populations without neurons of their own");
            }
        }
    }

    public String name() {
        return name;
    }

    public int size() {
        return bias.length;
    }

    public int inSize() {
        return ops[0].inSize();
    }

    public NeuronSpec neuron() {
        return neuron;
    }

    public NeuronModel rateModel() {
        return rate;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** Weights and pooling taps feeding this stage. */
    public long connections() {
        long c = 0;
        for (LinearOp op : ops) {
            c += op.connections();
        }
        return c;
    }
}
