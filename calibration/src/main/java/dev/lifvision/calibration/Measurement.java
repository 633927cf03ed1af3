package dev.lifvision.calibration;

import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.network.Backends;
import dev.lifvision.network.FrameResult;
import dev.lifvision.network.Network;
import dev.lifvision.network.RateSimulator;
import dev.lifvision.network.SimOptions;
import dev.lifvision.network.SpikingSimulator;
import dev.lifvision.network.StepProbe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * One network variant measured on the calibration inputs: the ANN (rate backend) answer per image,
 * and for each synapse setting ONE spiking run of {@code maxSteps} steps per image (reset mode),
 * recording the output layer's pre-activation and the cumulative synaptic events at every step.
 * In reset mode the dynamics up to step t do not depend on the total presentation time, so these
 * traces give the exact simulator answer for every readout window [t_c, t_p] (see {@link Curves}).
 * Images run in parallel, one simulator per thread and setting.
 */
final class Measurement {
    final String variant;
    final Network net;
    final List<SynapseSpec> synapses;
    final SimOptions base;
    final int maxSteps;
    final int nOut;
    final int[] labels;
    final int[] annPred;
    /** [setting][image][step * nOut + o]: output pre-activation per step. */
    final float[][][] trace;
    /** [setting][image][step]: synaptic events delivered up to and including the step. */
    final long[][][] events;
    /** Spikes per population, summed over images, per setting. */
    final long[][] spikesPerLayer;
    final RateStats annRates;
    final RateStats snnRates;
    long wallNanos;

    private Measurement(String variant, Network net, List<SynapseSpec> synapses, SimOptions base, int images) {
        this.variant = variant;
        this.net = net;
        this.synapses = List.copyOf(synapses);
        this.base = base;
        this.maxSteps = base.steps();
        this.nOut = net.outputSize();
        this.labels = new int[images];
        this.annPred = new int[images];
        this.trace = new float[synapses.size()][images][];
        this.events = new long[synapses.size()][images][];
        this.spikesPerLayer = new long[synapses.size()][net.stageCount()];
        this.annRates = new RateStats(net, base.presentation());
        this.snnRates = new RateStats(net, base.presentation());
    }

    int images() {
        return labels.length;
    }

    /**
     * @param inputs preprocessed inputs, one per image
     * @param labels network output index per image
     * @param maxTime longest presentation measured, seconds
     * @param progress called with the number of (image, setting) runs done so far
     */
    static Measurement run(String variant, Network net, List<SynapseSpec> synapses, double dt, double maxTime,
                           float[][] inputs, int[] labels, int threads, LongConsumer progress)
            throws InterruptedException {
        SimOptions base = new SimOptions(dt, maxTime, 0, maxTime, synapses.get(0), false,
                dev.lifvision.encode.InputCoding.CURRENT, SimOptions.DEFAULT_INPUT_RATE, 1L);
        int n = inputs.length;
        Measurement m = new Measurement(variant, net, synapses, base, n);
        System.arraycopy(labels, 0, m.labels, 0, n);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int workers = Math.max(1, Math.min(threads, n));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "calibration-worker");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        List<Future<RateStats[]>> parts = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                parts.add(pool.submit(() -> m.work(inputs, next, done, progress)));
            }
            for (Future<RateStats[]> f : parts) {
                RateStats[] r = f.get();
                m.annRates.merge(r[0]);
                m.snnRates.merge(r[1]);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        m.wallNanos = System.nanoTime() - t0;
        return m;
    }

    private RateStats[] work(float[][] inputs, AtomicInteger next, AtomicInteger done, LongConsumer progress) {
        RateStats ann = new RateStats(net, base.presentation());
        RateStats snn = new RateStats(net, base.presentation());
        RateSimulator rate = (RateSimulator) Backends.create("rate", net, base);
        FrameResult rateResult = rate.newResult();
        int nSyn = synapses.size();
        SpikingSimulator[] sims = new SpikingSimulator[nSyn];
        for (int s = 0; s < nSyn; s++) {
            sims[s] = new SpikingSimulator(net, base.withSynapse(synapses.get(s)));
        }
        FrameResult fr = sims[0].newResult();
        Recorder rec = new Recorder(net);
        long[][] spikes = new long[nSyn][net.stageCount()];
        for (int i = next.getAndIncrement(); i < inputs.length; i = next.getAndIncrement()) {
            rate.present(inputs[i], rateResult);
            annPred[i] = rateResult.argmax();
            ann.addAnn(rate);
            for (int s = 0; s < nSyn; s++) {
                rec.start(new float[maxSteps * nOut], new long[maxSteps], s == 0);
                sims[s].setProbe(rec);
                sims[s].present(inputs[i], fr);
                sims[s].setProbe(null);
                trace[s][i] = rec.trace;
                events[s][i] = rec.events;
                for (int k = 0; k < fr.spikes.length; k++) {
                    spikes[s][k] += fr.spikes[k];
                }
                if (s == 0) {
                    snn.addCounts(rec.counts);
                }
                int d = done.incrementAndGet();
                if (progress != null) {
                    progress.accept(d);
                }
            }
        }
        synchronized (spikesPerLayer) {
            for (int s = 0; s < nSyn; s++) {
                for (int k = 0; k < spikes[s].length; k++) {
                    spikesPerLayer[s][k] += spikes[s][k];
                }
            }
        }
        return new RateStats[]{ann, snn};
    }

    /** Records one presentation: output per step, cumulative events, and (optionally) spikes per neuron. */
    private static final class Recorder implements StepProbe {
        final int[][] counts;
        float[] trace;
        long[] events;
        boolean countSpikes;

        Recorder(Network net) {
            counts = new int[net.stageCount()][];
            for (int k = 0; k < net.stageCount() - 1; k++) {
                counts[k] = new int[net.stage(k).size()];
            }
        }

        void start(float[] trace, long[] events, boolean countSpikes) {
            this.trace = trace;
            this.events = events;
            this.countSpikes = countSpikes;
            if (countSpikes) {
                for (int[] c : counts) {
                    if (c != null) {
                        java.util.Arrays.fill(c, 0);
                    }
                }
            }
        }

        @Override
        public void spikes(int step, int k, int[] idx, int count) {
            if (countSpikes) {
                int[] c = counts[k];
                for (int s = 0; s < count; s++) {
                    c[idx[s]]++;
                }
            }
        }

        @Override
        public void step(int step, float[] output, long synapticEvents) {
            System.arraycopy(output, 0, trace, step * output.length, output.length);
            events[step] = synapticEvents;
        }
    }
}
