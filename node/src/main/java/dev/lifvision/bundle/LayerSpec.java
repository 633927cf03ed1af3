package dev.lifvision.bundle;

import java.util.Arrays;
import java.util.Objects;

/**
 * One layer. Shapes are channels-last: [H, W, C] for images, [units] after a dense layer.
 * <ul>
 * <li>{@code conv2d}: weights [kh, kw, cin, cout], bias [cout].</li>
 * <li>{@code locally_connected}: like conv2d but unshared weights: [oh, ow, kh, kw, cin, cout], bias [oh, ow, cout].</li>
 * <li>{@code avgpool}: no tensors, no neuron; channels unchanged. Zero padding counts in the divisor k*k when
 * {@code countIncludePad}, otherwise the divisor is the number of in-bounds cells.</li>
 * <li>{@code dense}: weights [in, units] with the input flattened in (h, w, c) order, bias [units];
 * kernel/stride/padding null.</li>
 * </ul>
 * Windowed layers: {@code kernel}, {@code stride}, {@code padding} are [h, w] and
 * {@code out = floor((in + 2 * padding - kernel) / stride) + 1} per spatial axis.
 * {@code countIncludePad} only matters for avgpool. Do not mutate the arrays.
 */
public record LayerSpec(String name, String type, int[] inShape, int[] outShape, int[] kernel, int[] stride,
                        int[] padding, boolean countIncludePad, String weights, String bias, NeuronSpec neuron) {

    public static LayerSpec conv2d(String name, int[] inShape, int filters, int kh, int kw, int sh, int sw, int ph,
                                   int pw, NeuronSpec n) {
        return windowed("conv2d", name, inShape, filters, kh, kw, sh, sw, ph, pw, n);
    }

    public static LayerSpec locallyConnected(String name, int[] inShape, int filters, int kh, int kw, int sh, int sw,
                                             int ph, int pw, NeuronSpec n) {
        return windowed("locally_connected", name, inShape, filters, kh, kw, sh, sw, ph, pw, n);
    }

    public static LayerSpec avgpool(String name, int[] inShape, int k, int s, int pad) {
        int[] out = {outDim(inShape[0], k, s, pad), outDim(inShape[1], k, s, pad), inShape[2]};
        return new LayerSpec(name, "avgpool", inShape.clone(), out, new int[]{k, k}, new int[]{s, s},
                new int[]{pad, pad}, true, null, null, null);
    }

    public static LayerSpec dense(String name, int[] inShape, int units, NeuronSpec n) {
        return new LayerSpec(name, "dense", inShape.clone(), new int[]{units}, null, null, null, false,
                name + ".W", name + ".b", n);
    }

    private static LayerSpec windowed(String type, String name, int[] in, int filters, int kh, int kw, int sh, int sw,
                                      int ph, int pw, NeuronSpec n) {
        int[] out = {outDim(in[0], kh, sh, ph), outDim(in[1], kw, sw, pw), filters};
        return new LayerSpec(name, type, in.clone(), out, new int[]{kh, kw}, new int[]{sh, sw}, new int[]{ph, pw},
                false, name + ".W", name + ".b", n);
    }

    /** Output size along one axis; throws when the window does not fit, so a bad factory call fails at once. */
    static int outDim(int in, int k, int s, int pad) {
        if (k < 1 || s < 1 || pad < 0 || in + 2 * pad < k) {
            throw new IllegalArgumentException("window kernel " + k + " stride " + s + " padding " + pad
                    + " does not fit an input of size " + in);
        }
        return (in + 2 * pad - k) / s + 1;
    }

    public int inSize() {
        return Tensor.product(inShape);
    }

    public int outSize() {
        return Tensor.product(outShape);
    }

    // Records compare arrays by identity; value semantics make manifests comparable.
    @Override
    public boolean equals(Object o) {
        return o instanceof LayerSpec l && Objects.equals(name, l.name) && Objects.equals(type, l.type)
                && Arrays.equals(inShape, l.inShape) && Arrays.equals(outShape, l.outShape)
                && Arrays.equals(kernel, l.kernel) && Arrays.equals(stride, l.stride)
                && Arrays.equals(padding, l.padding) && countIncludePad == l.countIncludePad
                && Objects.equals(weights, l.weights) && Objects.equals(bias, l.bias)
                && Objects.equals(neuron, l.neuron);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(inShape), Arrays.hashCode(outShape), weights, neuron);
    }

    @Override
    public String toString() {
        return "LayerSpec[" + name + " " + type + " " + Arrays.toString(inShape) + " -> " + Arrays.toString(outShape)
                + (kernel == null ? "" : " kernel " + Arrays.toString(kernel) + " stride " + Arrays.toString(stride)
                + " padding " + Arrays.toString(padding)) + (neuron == null ? "" : " " + neuron.type()) + "]";
    }
}
