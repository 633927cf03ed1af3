package dev.lifvision.bench;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.cli.Models;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.emulator.LoihiBackend;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.network.Backends;
import dev.lifvision.network.FrameResult;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import dev.lifvision.network.Simulator;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The emulator against the float spiking backend on the shipped MNIST model, in one run and on
 * ONE thread: the bundle's simulation options (dt 1 ms, 200 steps, readout 100-200 ms, reset per
 * image). Rows: float SNN (constant current), loihi with the first layer on the host (the default
 * path), loihi with regular rate-coded pixel spikes, and the float SNN with the same pixel spikes.
 * The backends take turns in blocks of 10 images so that a busy machine slows them alike. Usage:
 * {@code java --add-modules jdk.incubator.vector -cp node/target/lifvision-node.jar
 * dev.lifvision.bench.EmulatorBenchmark [MNIST_DIR | KIND:PATH] [images] [model]}.
 */
public final class EmulatorBenchmark {
    public static void main(String[] args) throws Exception {
        String dir = args.length > 0 ? args[0] : "../shared/datasets/mnist";
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        String model = args.length > 2 ? args[2] : "mnist";
        Bundle bundle = Models.load(model);
        Network net = Network.of(bundle);
        // a bare folder is MNIST (its first images); KIND:PATH (e.g. cifar10:DIR) any dataset, as a fixed random
        // subset because folder datasets are sorted by class
        ImageSet test = dir.contains(":") ? Datasets.load(dir, Split.TEST, null).shuffled(1).limit(images)
                : Datasets.load("mnist:" + dir, Split.TEST, null).limit(images);
        Preprocessor pre = Preprocessor.of(bundle);
        float[][] inputs = new float[test.size()][net.inputSize()];
        for (int i = 0; i < test.size(); i++) {
            pre.apply(test.pixels(), i * test.imageSize(), test.height(), test.width(), test.channels(), inputs[i]);
        }
        SimOptions base = SimOptions.of(bundle.manifest().simulation());
        SimOptions spikes = base.withCoding(InputCoding.REGULAR, SimOptions.DEFAULT_INPUT_RATE);
        String[] names = {"spiking (float), current input", "loihi, first layer on host (default)",
                "loihi, regular pixel spikes", "spiking (float), regular pixel spikes"};
        Simulator[] sims = {Backends.create("spiking", net, base), Backends.create(LoihiBackend.NAME, net, base),
                Backends.create(LoihiBackend.NAME, net, spikes), Backends.create("spiking", net, spikes)};
        FrameResult[] res = new FrameResult[sims.length];
        for (int s = 0; s < sims.length; s++) {
            res[s] = sims[s].newResult();
            for (int i = 0; i < Math.min(20, inputs.length); i++) {
                sims[s].present(inputs[i], res[s]); // warm-up: let the JIT compile the hot loops
            }
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long[] nanos = new long[sims.length], alloc = new long[sims.length], spk = new long[sims.length],
                events = new long[sims.length], errors = new long[sims.length];
        for (int from = 0; from < inputs.length; from += 10) {
            int to = Math.min(inputs.length, from + 10);
            for (int s = 0; s < sims.length; s++) {
                long a0 = threads.getThreadAllocatedBytes(tid);
                long t0 = System.nanoTime();
                for (int i = from; i < to; i++) {
                    sims[s].present(inputs[i], res[s]);
                    spk[s] += res[s].totalSpikes();
                    events[s] += res[s].synapticEvents;
                    if (res[s].argmax() != test.label(i)) {
                        errors[s]++;
                    }
                }
                nanos[s] += System.nanoTime() - t0;
                alloc[s] += threads.getThreadAllocatedBytes(tid) - a0;
            }
        }
        System.out.printf(Locale.ROOT, "java %s, %s, model %s, %d test images of %s, one thread%n",
                System.getProperty("java.version"), System.getProperty("os.arch"), net.name(), inputs.length,
                test.source());
        System.out.println("| backend | ms/image | vs float | errors | spikes/image | synaptic events/image "
                + "| alloc bytes/image |");
        System.out.println("|---|---|---|---|---|---|---|");
        int n = inputs.length;
        for (int s = 0; s < sims.length; s++) {
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2fx | %d (%.2f %%) | %.0f | %.3g | %.0f |%n", names[s],
                    nanos[s] / 1e6 / n, (double) nanos[s] / nanos[s == 2 ? 3 : 0], errors[s], 100.0 * errors[s] / n,
                    (double) spk[s] / n, (double) events[s] / n, (double) alloc[s] / n);
        }
        System.out.println("overflows: " + LoihiBackend.quantised(net, base).overflowReport() + " (host path), "
                + LoihiBackend.quantised(net, spikes).overflowReport() + " (pixel spikes)");
    }
}
