package dev.lifvision.eval;

import dev.lifvision.data.ImageSet;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.network.Backends;
import dev.lifvision.network.FrameResult;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import dev.lifvision.network.Simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Runs a labelled image set through a backend and counts errors, spikes and events. Frames are
 * split into contiguous chunks, one per thread, each thread with its own simulator and
 * preprocessor (in continuous mode each chunk starts from rest; within a chunk state carries over
 * in order, as on a single stream).
 */
public final class Evaluator {
    private final Network net;
    private final String backend;
    private final SimOptions options;
    private final Supplier<Preprocessor> preprocessors;
    private dev.lifvision.network.DecisionRule rule;

    public Evaluator(Network net, String backend, SimOptions options, Supplier<Preprocessor> preprocessors) {
        this.net = net;
        this.backend = backend;
        this.options = options;
        this.preprocessors = preprocessors;
        Backends.create(backend, net, options); // fail fast on a bad backend or an unsupported network
    }

    /** Early decision for every simulator of later runs (null: full presentations). */
    public Evaluator withDecisionRule(dev.lifvision.network.DecisionRule rule) {
        Backends.create(backend, net, options).setDecisionRule(rule); // refuses a backend without early decision
        this.rule = rule;
        return this;
    }

    /**
     * @param labelMap dataset class index -> network output index
     * @param progress called with the number of frames done so far (from worker threads)
     */
    public EvalResult run(ImageSet data, int[] labelMap, int threads, IntConsumer progress) throws InterruptedException {
        int n = data.size();
        int workers = Math.max(1, Math.min(threads, n));
        int classes = net.outputSize();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "eval-worker");
            t.setDaemon(true);
            return t;
        });
        List<Future<EvalResult>> parts = new ArrayList<>();
        long wallStart = System.nanoTime();
        try {
            for (int w = 0; w < workers; w++) {
                int from = (int) ((long) n * w / workers);
                int to = (int) ((long) n * (w + 1) / workers);
                parts.add(pool.submit(() -> {
                    EvalResult part = new EvalResult(classes, net.stageCount());
                    Simulator sim = Backends.create(backend, net, options);
                    sim.setDecisionRule(rule);
                    Preprocessor pre = preprocessors.get();
                    FrameResult fr = sim.newResult();
                    float[] input = new float[net.inputSize()];
                    int stride = data.imageSize();
                    for (int i = from; i < to; i++) {
                        pre.apply(data.pixels(), i * stride, data.height(), data.width(), data.channels(), input);
                        long t0 = System.nanoTime();
                        sim.present(input, fr);
                        part.networkNanos += System.nanoTime() - t0;
                        part.add(labelMap[data.label(i)], fr);
                        int d = done.incrementAndGet();
                        if (progress != null) {
                            progress.accept(d);
                        }
                    }
                    return part;
                }));
            }
            EvalResult total = new EvalResult(classes, net.stageCount());
            for (Future<EvalResult> f : parts) {
                total.merge(f.get());
            }
            total.wallNanos = System.nanoTime() - wallStart;
            total.threads = workers;
            return total;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Maps dataset classes to network outputs: by name when every dataset class is one of the
     * network's labels, else by position when the counts agree.
     *
     * @throws IllegalArgumentException when neither works, naming the classes that do not match
     */
    public static int[] labelMap(List<String> datasetClasses, List<String> networkLabels) {
        int[] map = new int[datasetClasses.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < map.length; i++) {
            map[i] = networkLabels.indexOf(datasetClasses.get(i));
            if (map[i] < 0) {
                missing.add(datasetClasses.get(i));
            }
        }
        if (missing.isEmpty()) {
            return map;
        }
        if (datasetClasses.size() == networkLabels.size()) {
            for (int i = 0; i < map.length; i++) {
                map[i] = i;
            }
            return map;
        }
        throw new IllegalArgumentException("dataset classes " + missing + " are not labels of the model "
                + networkLabels + " and the class counts differ (" + datasetClasses.size() + " vs "
                + networkLabels.size() + ")");
    }
}
