package dev.lifvision.network;

import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.encode.SpikeEncoder;
import dev.lifvision.neuron.NeuronModel;
import dev.lifvision.neuron.SpikingNeurons;

import java.util.Arrays;

/**
 * Float LIF network on a fixed timestep, event-driven: each step costs one update per neuron plus
 * spikes x fan-out, never the dense weight count. Spikes are filtered on the receiving side
 * (the filters are linear, so filtering the weighted sum equals weighting the filtered spikes),
 * which needs one filter state per target neuron instead of one per source-target pair.
 *
 * <p>Per step, in layer order: decay the synapse state, add the weighted spikes that the previous
 * population emitted in this same step, form the pre-activation (filtered input plus bias), step
 * the neurons. The output layer's pre-activation is averaged over the readout window. All state is
 * allocated once; {@link #present} allocates nothing.
 */
public final class SpikingSimulator implements Simulator {
    private final Network net;
    private final SimOptions opt;
    private final int nStages;
    private final SpikingNeurons[] neurons;
    /** Synapse state per stage: s1 (lowpass; first of the alpha cascade) and s2 (alpha's second). */
    private final float[][] s1, s2;
    private final float[][] preActivation;
    private final int[][] spikes;
    private final int[] spikeCount;
    /** Pools between populations: dense scratch plus the set of cells touched this step. */
    private final float[][][] poolScratch;
    /** Per stage, the scratch of {@link LinearOp#scatter}. */
    private final float[][] scatterScratch;
    private final SparseSet[][] poolTouched;
    private final Filter synapse;
    private final float decay, feed;
    private final float[] firstCurrent;
    private final SpikeEncoder encoder;
    private final int[] inPos, inNeg;
    /** Optional per-step observer (calibration); null in normal operation. */
    private StepProbe probe;
    private DecisionRule rule;

    public SpikingSimulator(Network net, SimOptions opt) {
        this.net = net;
        this.opt = opt;
        this.nStages = net.stageCount();
        for (int k = 0; k < nStages - 1; k++) {
            String type = net.stage(k).neuron.type();
            if (type.equals("linear")) {
                throw new IllegalArgumentException("layer " + net.stage(k).name
                        + " is linear: the spiking backend needs spiking neurons in every layer but the last");
            }
        }
        neurons = new SpikingNeurons[nStages];
        s1 = new float[nStages][];
        s2 = new float[nStages][];
        preActivation = new float[nStages][];
        spikes = new int[nStages][];
        spikeCount = new int[nStages];
        poolScratch = new float[nStages][][];
        scatterScratch = new float[nStages][];
        poolTouched = new SparseSet[nStages][];
        this.synapse = Filter.of(opt.synapse());
        double a = synapse == Filter.NONE ? 0.0 : Math.exp(-opt.dt() / opt.synapse().tau());
        this.decay = (float) a;
        this.feed = (float) (1.0 - a);
        for (int k = 0; k < nStages; k++) {
            Stage st = net.stage(k);
            int n = st.size();
            if (k < nStages - 1) {
                neurons[k] = SpikingNeurons.of(st.neuron, n, opt.dt());
                spikes[k] = new int[n];
            }
            s1[k] = new float[n];
            s2[k] = synapse == Filter.ALPHA ? new float[n] : null;
            preActivation[k] = new float[n];
            scatterScratch[k] = new float[n];
            int pools = st.ops.length - 1;
            poolScratch[k] = new float[pools][];
            poolTouched[k] = new SparseSet[pools];
            for (int j = 0; j < pools; j++) {
                poolScratch[k][j] = new float[st.ops[j].outSize()];
                poolTouched[k][j] = new SparseSet(st.ops[j].outSize());
            }
        }
        firstCurrent = new float[net.stage(0).size()];
        if (opt.coding() == InputCoding.CURRENT) {
            encoder = null;
            inPos = inNeg = null;
        } else {
            encoder = new SpikeEncoder(opt.coding(), net.inputSize(), opt.dt(), opt.inputRate(), opt.seed());
            inPos = new int[net.inputSize()];
            inNeg = new int[net.inputSize()];
        }
    }

    /**
     * Installs (or with null removes) an observer called at every step of {@link #present}. It does
     * not change the results; with no probe the simulator does exactly what it did before.
     */
    public void setProbe(StepProbe probe) {
        this.probe = probe;
    }

    @Override
    public Network network() {
        return net;
    }

    @Override
    public void reset() {
        for (int k = 0; k < nStages; k++) {
            if (neurons[k] != null) {
                neurons[k].reset();
            }
            Arrays.fill(s1[k], 0f);
            if (s2[k] != null) {
                Arrays.fill(s2[k], 0f);
            }
        }
        if (encoder != null) {
            encoder.reset();
        }
    }

    @Override
    public void present(float[] input, FrameResult result) {
        if (input.length != net.inputSize()) {
            throw new IllegalArgumentException("input has " + input.length + " values, network " + net.name()
                    + " expects " + net.inputSize());
        }
        if (!opt.continuous()) {
            reset();
        }
        result.clear();
        lastInput = input;
        final int steps = opt.steps();
        final int first = opt.readoutFirstStep();
        final int lastStep = opt.readoutLastStep();
        final float[] out = result.output;
        if (encoder == null) {
            // constant current: the first layer's weighted input is the same at every step
            Stage st0 = net.stage(0);
            float[] x = input;
            float[][] scratch = poolScratch[0];
            for (int j = 0; j < st0.ops.length; j++) {
                float[] dst = j < scratch.length ? scratch[j] : firstCurrent;
                st0.ops[j].forward(x, dst);
                x = dst;
            }
            for (int j = 0; j < scratch.length; j++) {
                Arrays.fill(scratch[j], 0f);
            }
            for (int i = 0; i < firstCurrent.length; i++) {
                preActivation[0][i] = firstCurrent[i] + st0.bias[i];
            }
        }
        long events = 0;
        long updates = 0;
        int ran = steps;
        int usedLast = lastStep;
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < nStages; k++) {
                Stage st = net.stage(k);
                float[] x = preActivation[k];
                if (k > 0 || encoder != null) {
                    events += filterAndDeliver(k, st, x);
                }
                if (k < nStages - 1) {
                    int n = neurons[k].step(x, spikes[k]);
                    spikeCount[k] = n;
                    result.spikes[k] += n;
                    if (probe != null) {
                        probe.spikes(t, k, spikes[k], n);
                    }
                } else if (t >= first && t <= lastStep) {
                    for (int i = 0; i < out.length; i++) {
                        out[i] += x[i];
                    }
                }
                updates += st.size();
            }
            if (probe != null) {
                probe.step(t, preActivation[nStages - 1], events);
            }
            if (rule != null && t < lastStep && t >= first + rule.minReadoutSteps() - 1 && decided(out, t - first + 1)) {
                ran = t + 1;
                usedLast = t;
                break;
            }
        }
        int readout = usedLast - first + 1;
        Stage lastStage = net.stage(nStages - 1);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) lastStage.rate.activation(out[i] / readout);
        }
        result.steps = ran;
        result.readoutSteps = readout;
        result.synapticEvents = events;
        result.neuronUpdates = updates;
    }

    @Override
    public void setDecisionRule(DecisionRule rule) {
        this.rule = rule;
    }

    /**
     * The rule's test after {@code readout} readout steps, with calibration's exact arithmetic (float sums, float
     * division, the same tie rule), so the node decides where calibration measured it would.
     */
    private boolean decided(float[] sum, int readout) {
        NeuronModel act = net.stage(nStages - 1).rate;
        float top = Float.NEGATIVE_INFINITY, second = Float.NEGATIVE_INFINITY;
        for (float s : sum) {
            float v = (float) act.activation(s / readout);
            if (v > top) {
                second = top;
                top = v;
            } else if (v > second) {
                second = v;
            }
        }
        return sum.length < 2 || top - second >= rule.margin();
    }

    /** Decays stage k's synapses, adds this step's input spikes, and writes its pre-activation into x. */
    private long filterAndDeliver(int k, Stage st, float[] x) {
        final float[] a1 = s1[k];
        final int n = a1.length;
        final float feedValue = synapse == Filter.NONE ? 1f : feed;
        if (synapse == Filter.NONE) {
            Arrays.fill(a1, 0f);
        } else {
            final float d = decay;
            for (int i = 0; i < n; i++) {
                a1[i] *= d;
            }
        }
        long events;
        if (k == 0) {
            long packed = encoder.step(lastInput, inPos, inNeg);
            float v = encoder.spikeValue() * feedValue;
            events = deliver(k, st, inPos, (int) (packed >>> 32), v, a1)
                    + deliver(k, st, inNeg, (int) packed, -v, a1);
        } else {
            events = deliver(k, st, spikes[k - 1], spikeCount[k - 1], neurons[k - 1].spikeValue() * feedValue, a1);
        }
        final float[] b = st.bias;
        if (synapse == Filter.ALPHA) {
            final float[] a2 = s2[k];
            final float d = decay;
            final float f = feed;
            for (int i = 0; i < n; i++) {
                float y = d * a2[i] + f * a1[i];
                a2[i] = y;
                x[i] = y + b[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                x[i] = a1[i] + b[i];
            }
        }
        return events;
    }

    /** The frame being presented, for spike-coded input. */
    private float[] lastInput;

    private enum Filter {
        NONE, LOWPASS, ALPHA;

        static Filter of(SynapseSpec spec) {
            return switch (spec.type()) {
                case "none" -> NONE;
                case "lowpass" -> LOWPASS;
                case "alpha" -> ALPHA;
                default -> throw new IllegalArgumentException("unknown synapse type '" + spec.type()
                        + "' (expected none, lowpass or alpha)");
            };
        }
    }

    private long deliver(int k, Stage st, int[] idx, int count, float value, float[] target) {
        LinearOp[] ops = st.ops;
        long events = 0;
        if (ops.length == 1) {
            LinearOp op = ops[0];
            for (int s = 0; s < count; s++) {
                events += op.scatter(idx[s], value, target, scatterScratch[k]);
            }
            return events;
        }
        float[][] scratch = poolScratch[k];
        SparseSet[] touched = poolTouched[k];
        AvgPool2d pool0 = (AvgPool2d) ops[0];
        for (int s = 0; s < count; s++) {
            events += pool0.scatterTracked(idx[s], value, scratch[0], touched[0]);
        }
        for (int j = 1; j < ops.length; j++) {
            float[] src = scratch[j - 1];
            SparseSet set = touched[j - 1];
            boolean last = j == ops.length - 1;
            for (int q = 0; q < set.size(); q++) {
                int c = set.get(q);
                float v = src[c];
                src[c] = 0f;
                if (v != 0f) {
                    events += last ? ops[j].scatter(c, v, target, scatterScratch[k])
                            : ((AvgPool2d) ops[j]).scatterTracked(c, v, scratch[j], touched[j]);
                }
            }
            set.clear();
        }
        return events;
    }
}
