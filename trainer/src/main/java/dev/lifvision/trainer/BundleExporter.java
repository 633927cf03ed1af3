package dev.lifvision.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.InputSpec;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.Manifest;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.bundle.SimulationSpec;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.bundle.Tensor;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained DL4J network as a node bundle: NCHW / [out, in, kh, kw] parameters become the
 * bundle's channels-last layouts, dense weights after a convolution get their rows reordered from
 * DL4J's (c, h, w) flattening to the node's (h, w, c), dropout disappears (DL4J scales at training
 * time), and the softmax output layer becomes a linear layer (argmax is unchanged).
 */
public final class BundleExporter {
    private BundleExporter() {
    }

    /**
     * @param store "float32" or "float16" for the weight tensors
     */
    public static Bundle export(MultiLayerNetwork net, Architecture arch, List<String> labels, float[] meanOrNull,
                                String store, JsonNode provenance) {
        var in = arch.input();
        int h = in.netHeight(), w = in.netWidth(), c = in.channels();
        boolean flat = false;
        NeuronSpec neuron = NetworkFactory.neuronSpec(arch.neuron());
        boolean includePad = avgPoolCountsPadding();
        List<LayerSpec> layers = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int dl = 0;
        int index = 0;
        for (Architecture.Layer l : arch.layers()) {
            index++;
            int[] shape = flat ? new int[]{h * w * c} : new int[]{h, w, c};
            switch (l.type()) {
                case "conv2d" -> {
                    LayerSpec s = LayerSpec.conv2d("conv" + index, shape, l.filters(), l.kernel(), l.kernel(), l.stride(),
                            l.stride(), l.padding(), l.padding(), neuron);
                    INDArray wt = net.getLayer(dl).getParam("W").permute(2, 3, 1, 0).dup('c');
                    INDArray[] wb = foldBatchNorm(net, dl, l, wt, l.filters());
                    putWeights(tensors, s.weights(), new int[]{l.kernel(), l.kernel(), c, l.filters()}, wb[0], store);
                    tensors.put(s.bias(), tensor(new int[]{l.filters()}, wb[1], store));
                    layers.add(s);
                    h = s.outShape()[0];
                    w = s.outShape()[1];
                    c = l.filters();
                }
                case "locally_connected" -> {
                    LayerSpec s = LayerSpec.locallyConnected("local" + index, shape, l.filters(), l.kernel(), l.kernel(),
                            l.stride(), l.stride(), l.padding(), l.padding(), neuron);
                    int oh = s.outShape()[0], ow = s.outShape()[1], k = l.kernel();
                    // DL4J: W [oh*ow, cin*kh*kw, cout] (im2col order c, ky, kx) -> [oh, ow, kh, kw, cin, cout]
                    INDArray wt = net.getLayer(dl).getParam("W").reshape('c', oh, ow, c, k, k, l.filters())
                            .permute(0, 1, 3, 4, 2, 5).dup('c');
                    putWeights(tensors, s.weights(), new int[]{oh, ow, k, k, c, l.filters()}, wt, store);
                    float[] b = net.getLayer(dl).getParam("b").dup('c').data().asFloat();
                    float[] full = new float[oh * ow * l.filters()];
                    for (int i = 0; i < full.length; i++) {
                        full[i] = b.length == full.length ? b[i] : b[i % l.filters()];
                    }
                    tensors.put(s.bias(), tensor(new int[]{oh, ow, l.filters()}, Nd4j.create(full), store));
                    layers.add(s);
                    h = oh;
                    w = ow;
                    c = l.filters();
                }
                case "avgpool" -> {
                    LayerSpec p = LayerSpec.avgpool("pool" + index, shape, l.kernel(), l.stride(), l.padding());
                    if (!includePad) {
                        p = new LayerSpec(p.name(), p.type(), p.inShape(), p.outShape(), p.kernel(), p.stride(),
                                p.padding(), false, null, null, null);
                    }
                    layers.add(p);
                    h = p.outShape()[0];
                    w = p.outShape()[1];
                }
                case "dense", "output" -> {
                    boolean out = l.type().equals("output");
                    int units = out ? labels.size() : l.units();
                    LayerSpec s = LayerSpec.dense(out ? "output" : "dense" + index, shape, units,
                            out ? NeuronSpec.linear() : neuron);
                    INDArray wt = net.getLayer(dl).getParam("W");
                    if (!flat && (h > 1 || w > 1)) {
                        // DL4J flattens NCHW as (c, y, x); the node flattens channels-last as (y, x, c)
                        wt = wt.reshape('c', c, h, w, units).permute(1, 2, 0, 3).dup('c');
                    }
                    INDArray[] wb = foldBatchNorm(net, dl, l, wt, units);
                    putWeights(tensors, s.weights(), new int[]{h * w * c, units}, wb[0], store);
                    tensors.put(s.bias(), tensor(new int[]{units}, wb[1], store));
                    layers.add(s);
                    h = 1;
                    w = 1;
                    c = units;
                    flat = true;
                }
                case "dropout" -> {
                }
                default -> throw new IllegalArgumentException("cannot export layer type " + l.type());
            }
            dl += NetworkFactory.dl4jLayers(l);
        }
        String meanName = null;
        if (meanOrNull != null) {
            meanName = "input.mean";
            tensors.put(meanName, Tensor.ofFloat32(new int[]{in.height(), in.width(), in.channels()}, meanOrNull));
        }
        InputSpec spec = new InputSpec(in.netHeight(), in.netWidth(), in.channels(), in.channels() == 1 ? "gray" : "rgb",
                "center_crop", in.scale(), in.offset(), meanName, in.cropped() ? new int[]{in.height(), in.width()} : null);
        var s = arch.simulation();
        SimulationSpec sim = new SimulationSpec(s.dt(), SynapseSpec.parse(s.synapse()), s.presentation(), s.readoutStart(),
                s.readoutEnd(), "reset");
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, arch.name(), labels, spec, layers, sim, null, provenance, null);
        return new Bundle(m, tensors);
    }

    /**
     * [weights, bias] of DL4J layer {@code dl}, whose weights {@code wt} are already in the bundle's
     * layout (outputs on the last axis). With batch normalisation (the next DL4J layer) its inference
     * form gamma * (x - mean) / sqrt(var + eps) + beta is folded in: the weights of output o scale by
     * s = gamma / sqrt(var + eps), and the bias becomes beta - mean * s.
     */
    static INDArray[] foldBatchNorm(MultiLayerNetwork net, int dl, Architecture.Layer l, INDArray wt, int outputs) {
        if (!l.batchNorm()) {
            return new INDArray[]{wt, net.getLayer(dl).getParam("b")};
        }
        var bn = net.getLayer(dl + 1);
        INDArray variance = bn.getParam("var").reshape(outputs).castTo(DataType.DOUBLE);
        INDArray s = bn.getParam("gamma").reshape(outputs).castTo(DataType.DOUBLE)
                .div(Transforms.sqrt(variance.add(NetworkFactory.BATCH_NORM_EPS), false));
        long[] shape = wt.shape();
        INDArray w = wt.castTo(DataType.DOUBLE).dup('c').reshape('c', -1, outputs).mulRowVector(s).reshape('c', shape);
        INDArray b = bn.getParam("beta").reshape(outputs).castTo(DataType.DOUBLE)
                .sub(bn.getParam("mean").reshape(outputs).castTo(DataType.DOUBLE).mul(s));
        return new INDArray[]{w.castTo(DataType.FLOAT), b.castTo(DataType.FLOAT)};
    }

    private static Tensor tensor(int[] shape, INDArray a, String store) {
        float[] data = a.dup('c').castTo(DataType.FLOAT).data().asFloat();
        return store.equals("float16") || store.equals("int8") ? Tensor.ofFloat16(shape, data) : Tensor.ofFloat32(shape, data);
    }

    /**
     * Weights in the chosen precision. int8: symmetric, one scale per output channel (the last
     * axis), {@code scale = max|w| / 127}, stored as NAME.scale; a quarter of float32's size.
     */
    private static void putWeights(Map<String, Tensor> tensors, String name, int[] shape, INDArray a, String store) {
        if (!store.equals("int8")) {
            tensors.put(name, tensor(shape, a, store));
            return;
        }
        float[] w = a.dup('c').castTo(DataType.FLOAT).data().asFloat();
        int c = shape[shape.length - 1];
        float[] scale = new float[c];
        for (int i = 0; i < w.length; i++) {
            scale[i % c] = Math.max(scale[i % c], Math.abs(w[i]));
        }
        for (int k = 0; k < c; k++) {
            scale[k] = scale[k] > 0 ? scale[k] / 127f : 1f;
        }
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / scale[i % c])));
        }
        tensors.put(name, Tensor.ofInt8(shape, q));
        tensors.put(name + ".scale", Tensor.ofFloat32(new int[]{c}, scale));
    }

    private static Boolean includePadCache;

    /**
     * Whether DL4J's average pooling divides by k*k at padded borders. It is not configurable on the
     * layer and has differed between DL4J versions and its native helpers, so it is measured once on
     * a 2x2 input of ones with a 3x3/stride-2/pad-1 pool: 4/9 at the corner means padding counts.
     */
    static synchronized boolean avgPoolCountsPadding() {
        if (includePadCache == null) {
            MultiLayerNetwork probe = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                    .list().layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(3, 3)
                            .stride(2, 2).padding(1, 1).build())
                    .setInputType(InputType.convolutional(2, 2, 1)).build());
            probe.init();
            INDArray out = probe.output(Nd4j.ones(DataType.FLOAT, 1, 1, 2, 2));
            includePadCache = Math.abs(out.getDouble(0) - 4.0 / 9.0) < 1e-4;
        }
        return includePadCache;
    }
}
