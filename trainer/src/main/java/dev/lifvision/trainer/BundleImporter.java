package dev.lifvision.trainer;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.LayerSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Loads a bundle's weights into a freshly built DL4J network of the same architecture: the
 * inverse of {@link BundleExporter}'s layout changes. Used to fine-tune a deployed model.
 */
final class BundleImporter {
    private BundleImporter() {
    }

    /**
     * @param keepOutput false when the label set changes: the output layer keeps its fresh
     *                   initialisation
     */
    static void load(Bundle bundle, MultiLayerNetwork net, Architecture arch, boolean keepOutput) {
        if (arch.layers().stream().anyMatch(Architecture.Layer::batchNorm)) {
            // a bundle's weights have the normalisation folded in; nothing to load it into
            throw new IllegalArgumentException(arch.name() + ": load a bundle into arch.withoutBatchNorm()");
        }
        List<LayerSpec> specs = bundle.manifest().layers();
        int s = 0;
        int dl = 0;
        for (Architecture.Layer l : arch.layers()) {
            switch (l.type()) {
                case "conv2d" -> {
                    LayerSpec spec = expect(specs, s++, "conv2d", l);
                    int[] k = spec.kernel();
                    int cin = spec.inShape()[2], cout = spec.outShape()[2];
                    INDArray w = array(bundle, spec.weights(), k[0], k[1], cin, cout).permute(3, 2, 0, 1);
                    set(net, dl, "W", w);
                    set(net, dl, "b", array(bundle, spec.bias(), 1, cout));
                }
                case "locally_connected" -> {
                    LayerSpec spec = expect(specs, s++, "locally_connected", l);
                    int[] k = spec.kernel();
                    int oh = spec.outShape()[0], ow = spec.outShape()[1], cin = spec.inShape()[2], cout = spec.outShape()[2];
                    INDArray w = array(bundle, spec.weights(), oh, ow, k[0], k[1], cin, cout).permute(0, 1, 4, 2, 3, 5)
                            .dup('c').reshape('c', (long) oh * ow, (long) cin * k[0] * k[1], cout);
                    set(net, dl, "W", w);
                    INDArray b = array(bundle, spec.bias(), oh * ow * cout);
                    long want = net.getLayer(dl).getParam("b").length();
                    set(net, dl, "b", want == b.length() ? b : b.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, want)));
                }
                case "avgpool" -> {
                    expect(specs, s++, "avgpool", l);
                }
                case "dense", "output" -> {
                    LayerSpec spec = expect(specs, s++, "dense", l);
                    boolean out = l.type().equals("output");
                    if (!out || keepOutput) {
                        int[] in = spec.inShape();
                        int units = spec.outShape()[0];
                        INDArray w = array(bundle, spec.weights(), spec.inSize(), units);
                        if (in.length == 3 && (in[0] > 1 || in[1] > 1)) {
                            w = w.reshape('c', in[0], in[1], in[2], units).permute(2, 0, 1, 3).dup('c')
                                    .reshape('c', spec.inSize(), units);
                        }
                        set(net, dl, "W", w);
                        set(net, dl, "b", array(bundle, spec.bias(), 1, units));
                    }
                }
                case "dropout" -> {
                }
                default -> throw new IllegalArgumentException("cannot import layer type " + l.type());
            }
            dl += NetworkFactory.dl4jLayers(l);
        }
        if (s != specs.size()) {
            throw new IllegalArgumentException(bundle.manifest().name() + ": bundle has " + specs.size()
                    + " layers, architecture " + arch.name() + " describes " + s);
        }
    }

    private static LayerSpec expect(List<LayerSpec> specs, int i, String type, Architecture.Layer l) {
        if (i >= specs.size() || !specs.get(i).type().equals(type)) {
            throw new IllegalArgumentException("bundle layer " + i + " is " + (i < specs.size() ? specs.get(i).type() : "missing")
                    + ", the architecture expects " + type + " (" + l.type() + "): not the same architecture");
        }
        return specs.get(i);
    }

    private static INDArray array(Bundle b, String name, long... shape) {
        // int8 weights come back multiplied by their scales
        return Nd4j.create(dev.lifvision.network.Network.weights(b, name), shape, 'c').castTo(DataType.FLOAT);
    }

    private static void set(MultiLayerNetwork net, int layer, String key, INDArray value) {
        INDArray target = net.getLayer(layer).getParam(key);
        if (target.length() != value.length()) {
            throw new IllegalArgumentException("layer " + layer + " parameter " + key + ": bundle has " + value.length()
                    + " values, the network " + target.length());
        }
        target.assign(value.dup('c').reshape('c', target.shape()));
    }
}
