package dev.lifvision.trainer;

import dev.lifvision.bundle.NeuronSpec;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns an {@link Architecture} into a DL4J network (NCHW, float32). Each architecture layer maps
 * to one DL4J layer, except a locally connected layer: {@link LocallyConnectedLayer} (ours; DL4J's
 * scrambles positions) is a SameDiff layer, which takes only built-in activations, so it is linear
 * and an {@link ActivationLayer} applies the soft-LIF after it. A layer with {@code batch_norm} is
 * three DL4J layers: its weights (linear, no bias: batch normalisation's beta takes its place),
 * {@link BatchNormalization} and an {@link ActivationLayer}; see {@link #dl4jLayers}.
 */
public final class NetworkFactory {
    private NetworkFactory() {
    }

    public static NeuronSpec neuronSpec(Architecture.Neuron n) {
        return switch (n.type()) {
            case "softlif" -> NeuronSpec.softlif(n.tauRc(), n.tauRef(), n.gain(), n.amplitude(), n.gamma());
            case "lif" -> NeuronSpec.lif(n.tauRc(), n.tauRef(), n.gain(), n.amplitude());
            default -> NeuronSpec.relu();
        };
    }

    static IActivation activation(Architecture.Neuron n) {
        return n.type().equals("relu") ? new ActivationReLU() : SoftLifActivation.of(neuronSpec(n), n.noiseSigma(), n.noise());
    }

    static ISchedule learningRate(Architecture.Training t) {
        Map<Integer, Double> map = new HashMap<>();
        map.put(0, t.learningRate());
        double lr = t.learningRate();
        for (int e : t.decayEpochs().stream().sorted().toList()) {
            lr *= t.decayFactor();
            map.put(e, lr);
        }
        return new MapSchedule(ScheduleType.EPOCH, map);
    }

    public static MultiLayerNetwork build(Architecture arch, int classes) {
        Architecture.Training t = arch.training();
        ISchedule lr = learningRate(t);
        IUpdater updater = t.optimizer().equals("sgd") ? new Nesterovs(lr, t.momentum()) : new Adam(lr);
        IActivation act = activation(arch.neuron());
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(t.seed())
                .dataType(DataType.FLOAT)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                // keep conv activations for backprop instead of recomputing them
                .cacheMode(CacheMode.DEVICE)
                .convolutionMode(ConvolutionMode.Truncate);
        if (t.weightDecay() > 0) {
            b.weightDecay(t.weightDecay());
        }
        NeuralNetConfiguration.ListBuilder list = b.list();
        int channels = arch.input().channels();
        for (Architecture.Layer l : arch.layers()) {
            switch (l.type()) {
                case "conv2d" -> {
                    list.layer(new ConvolutionLayer.Builder(l.kernel(), l.kernel()).stride(l.stride(), l.stride())
                            .padding(l.padding(), l.padding()).nOut(l.filters()).hasBias(!l.batchNorm())
                            .activation(l.batchNorm() ? new ActivationIdentity() : act).build());
                    if (l.batchNorm()) {
                        addBatchNorm(list, act);
                    }
                    channels = l.filters();
                }
                case "locally_connected" -> {
                    list.layer(new LocallyConnectedLayer(l.filters(), l.kernel(), l.stride(), l.padding()));
                    list.layer(new ActivationLayer.Builder().activation(act).build());
                    channels = l.filters();
                }
                case "avgpool" -> list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG)
                        .kernelSize(l.kernel(), l.kernel()).stride(l.stride(), l.stride())
                        .padding(l.padding(), l.padding()).build());
                case "dense" -> {
                    list.layer(new DenseLayer.Builder().nOut(l.units()).hasBias(!l.batchNorm())
                            .activation(l.batchNorm() ? new ActivationIdentity() : act).build());
                    if (l.batchNorm()) {
                        addBatchNorm(list, act);
                    }
                }
                // DL4J's dropout argument is the probability to RETAIN an activation
                case "dropout" -> list.layer(new DropoutLayer.Builder(1.0 - l.rate()).build());
                // small initial weights: soft-LIF outputs are several times larger than ReLU's near
                // threshold, and Xavier-sized output weights start training with saturated softmax
                case "output" -> list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .weightInit(new NormalDistribution(0, 0.01)).activation(Activation.SOFTMAX).build());
                default -> throw new IllegalArgumentException("unknown layer type " + l.type());
            }
        }
        var in = arch.input();
        list.setInputType(InputType.convolutional(in.netHeight(), in.netWidth(), in.channels()));
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    // the running variance as such (not DL4J's default log10 of the std), for folding at export
    private static void addBatchNorm(NeuralNetConfiguration.ListBuilder list, IActivation act) {
        list.layer(new BatchNormalization.Builder().eps(BATCH_NORM_EPS).useLogStd(false).build());
        list.layer(new ActivationLayer.Builder().activation(act).build());
    }

    static final double BATCH_NORM_EPS = 1e-5;

    /** How many DL4J layers an architecture layer becomes. */
    static int dl4jLayers(Architecture.Layer l) {
        return l.type().equals("locally_connected") ? 2 : l.batchNorm() ? 3 : 1;
    }

    /** Forward FLOPs per image (2 per multiply-add), for throughput figures. */
    public static long forwardFlops(Architecture arch, int classes) {
        long flops = 0;
        int h = arch.input().netHeight(), w = arch.input().netWidth(), c = arch.input().channels();
        for (Architecture.Layer l : arch.layers()) {
            switch (l.type()) {
                case "conv2d", "locally_connected" -> {
                    int oh = (h + 2 * l.padding() - l.kernel()) / l.stride() + 1;
                    int ow = (w + 2 * l.padding() - l.kernel()) / l.stride() + 1;
                    flops += 2L * oh * ow * l.filters() * l.kernel() * l.kernel() * c;
                    h = oh;
                    w = ow;
                    c = l.filters();
                }
                case "avgpool" -> {
                    int oh = (h + 2 * l.padding() - l.kernel()) / l.stride() + 1;
                    int ow = (w + 2 * l.padding() - l.kernel()) / l.stride() + 1;
                    flops += (long) oh * ow * c * l.kernel() * l.kernel();
                    h = oh;
                    w = ow;
                }
                case "dense", "output" -> {
                    int units = l.type().equals("output") ? classes : l.units();
                    flops += 2L * h * w * c * units;
                    h = 1;
                    w = 1;
                    c = units;
                }
                default -> {
                }
            }
        }
        return flops;
    }
}
