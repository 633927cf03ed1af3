package dev.lifvision.trainer;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * A 2D locally connected layer (unshared weights per output position), NCHW, square kernel,
 * stride and zero padding, linear (the soft-LIF follows as an {@code ActivationLayer}, as SameDiff
 * layers take only built-in activations).
 *
 * <p>Why not DL4J's {@code LocallyConnected2D}: in 1.0.0-M2.1 it gathers the patches column by
 * column but reads the result row by row, so output position (oy, ox) gets the weights of position
 * {@code oy * OW + ox} applied to the patch at (ox, oy) on a square map (measured with one-hot
 * weights). This layer gathers and reads in the same (row-major) order, which is what the node's
 * locally connected layer computes.
 *
 * <p>Parameters: {@code W} [OH*OW, C*k*k, F] with the patch features ordered (c, ky, kx), the
 * order the exporter expects; {@code b} [1, OH*OW*F], one bias per position and filter, as in the
 * paper's locally connected layers.
 */
public final class LocallyConnectedLayer extends SameDiffLayer {
    private int nIn;
    private int nOut;
    private int kernel;
    private int stride;
    private int padding;
    private int inH;
    private int inW;

    /** For DL4J's JSON configuration (checkpoints). */
    private LocallyConnectedLayer() {
    }

    public LocallyConnectedLayer(int nOut, int kernel, int stride, int padding) {
        this.nOut = nOut;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    private int outH() {
        return (inH + 2 * padding - kernel) / stride + 1;
    }

    private int outW() {
        return (inW + 2 * padding - kernel) / stride + 1;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) inputType;
        inH = (int) c.getHeight();
        inW = (int) c.getWidth();
        return InputType.convolutional(outH(), outW(), nOut);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) inputType;
        if (nIn <= 0 || override) {
            nIn = (int) c.getChannels();
        }
        inH = (int) c.getHeight();
        inW = (int) c.getWidth();
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        int positions = outH() * outW();
        params.addWeightParam("W", positions, (long) nIn * kernel * kernel, nOut);
        params.addBiasParam("b", 1, (long) positions * nOut);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        try (var ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                if (e.getKey().equals("b")) {
                    e.getValue().assign(0);
                } else {
                    int fanIn = nIn * kernel * kernel;
                    initWeights(fanIn, nOut, weightInit == null ? WeightInit.XAVIER : weightInit, e.getValue());
                }
            }
        }
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        int oh = outH(), ow = outW(), positions = oh * ow, features = nIn * kernel * kernel;
        // im2col: [N, C, k, k, OH, OW] -> [OH, OW, N, C, k, k] -> [P, N, C*k*k], features in (c, ky, kx) order.
        // One op whose gradient is one col2im (per-position slices cost a full-size gradient each)
        SDVariable cols = sd.cnn().im2Col(input, Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride)
                .pH(padding).pW(padding).dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build());
        SDVariable patches = sd.reshape(cols.permute(4, 5, 0, 1, 2, 3), positions, -1, features);
        SDVariable z = sd.mmul(patches, params.get("W")); // [P, N, F]
        z = z.add(sd.reshape(params.get("b"), positions, 1, nOut));
        // [P, N, F] -> [OH, OW, N, F] -> [N, F, OH, OW]
        SDVariable out = sd.reshape(z, oh, ow, -1, nOut).permute(2, 3, 0, 1);
        // DL4J 1.0.0-M2.1 hands a SameDiff layer's output gradient to it twice (every SameDiff layer,
        // its own LocallyConnected2D included: measured by the gradient check in the tests), which
        // doubles this layer's and every earlier layer's gradients. Forward value out, backward half.
        SDVariable half = out.mul(0.5);
        return half.add(new StopGradient(sd, half).outputVariable());
    }

    // bean accessors: DL4J stores layer configurations (and checkpoints) as JSON through them

    public int getNIn() {
        return nIn;
    }

    public void setNIn(int nIn) {
        this.nIn = nIn;
    }

    public int getNOut() {
        return nOut;
    }

    public void setNOut(int nOut) {
        this.nOut = nOut;
    }

    public int getKernel() {
        return kernel;
    }

    public void setKernel(int kernel) {
        this.kernel = kernel;
    }

    public int getStride() {
        return stride;
    }

    public void setStride(int stride) {
        this.stride = stride;
    }

    public int getPadding() {
        return padding;
    }

    public void setPadding(int padding) {
        this.padding = padding;
    }

    public int getInH() {
        return inH;
    }

    public void setInH(int inH) {
        this.inH = inH;
    }

    public int getInW() {
        return inW;
    }

    public void setInW(int inW) {
        this.inW = inW;
    }
}
