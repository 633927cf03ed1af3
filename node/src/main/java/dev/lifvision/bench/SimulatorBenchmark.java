package dev.lifvision.bench;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.LayerSpec;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.network.Backends;
import dev.lifvision.network.FrameResult;
import dev.lifvision.network.Network;
import dev.lifvision.network.RandomNetworks;
import dev.lifvision.network.SimOptions;
import dev.lifvision.network.Simulator;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * The spiking-runtime benchmark (BENCHMARKS.md): nets (a) dense 784-500-500-10 and (b) conv
 * 20@5x5 -> 50@5x5 -> 10 with seeded random weights scaled to pre-activation std 3 on MNIST test
 * images; MNIST LIF constants, dt 1 ms, low-pass synapse 5 ms, 200 steps, reset per image,
 * constant-current input, ONE thread. The baseline, measured in the same run, is the same net's
 * rate forward pass. Usage: {@code java -cp node/target/lifvision-node.jar
 * dev.lifvision.bench.SimulatorBenchmark [MNIST_DIR] [images]}.
 */
public final class SimulatorBenchmark {
    public static void main(String[] args) throws Exception {
        String dir = args.length > 0 ? args[0] : "../shared/datasets/mnist";
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        ImageSet test = Datasets.load("mnist:" + dir, Split.TEST, null).limit(Math.max(images, 200));
        NeuronSpec lif = NeuronSpec.lif(0.022, 0.002, 1.0, 0.063);
        var input = RandomNetworks.mnistInput();
        Preprocessor pre = new Preprocessor(input, null);
        float[][] inputs = new float[test.size()][784];
        for (int i = 0; i < test.size(); i++) {
            pre.apply(test.pixels(), i * test.imageSize(), 28, 28, 1, inputs[i]);
        }
        float[][] samples = java.util.Arrays.copyOf(inputs, 200);
        SimOptions opt = new SimOptions(0.001, 0.2, 0.1, 0.2, SynapseSpec.parse("lowpass:0.005"), false,
                InputCoding.CURRENT, SimOptions.DEFAULT_INPUT_RATE, 1);
        System.out.printf(Locale.ROOT, "java %s, %s, %d images per net, one thread%n",
                System.getProperty("java.version"), System.getProperty("os.arch"), images);
        System.out.println("| net | spiking ms/image | rate ms/image | spiking / rate | spikes/image | synaptic events/image "
                + "| alloc bytes/image (spiking) | heap after GC |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        run("(a) dense 784-500-500-10", RandomNetworks.denseMnist(lif), input, samples, inputs, images, opt);
        run("(b) conv 20@5x5-50@5x5-10", RandomNetworks.convMnist(lif), input, samples, inputs, images / 3, opt);
    }

    private static void run(String label, List<LayerSpec> layers, dev.lifvision.bundle.InputSpec input,
                            float[][] samples, float[][] inputs, int images, SimOptions opt) {
        Bundle b = RandomNetworks.build(label, input, layers, RandomNetworks.digits(), 42, samples, 3.0);
        Network net = Network.of(b);
        Simulator spiking = Backends.create("spiking", net, opt);
        Simulator rate = Backends.create("rate", net, opt);
        FrameResult fr = spiking.newResult();
        FrameResult rr = rate.newResult();
        // warm-up: let the JIT compile the hot loops
        for (int i = 0; i < Math.min(60, images); i++) {
            spiking.present(inputs[i % inputs.length], fr);
            rate.present(inputs[i % inputs.length], rr);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long spikes = 0;
        long events = 0;
        long alloc0 = threads.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        for (int i = 0; i < images; i++) {
            spiking.present(inputs[i % inputs.length], fr);
            spikes += fr.totalSpikes();
            events += fr.synapticEvents;
        }
        long spikingNanos = System.nanoTime() - t0;
        long alloc = threads.getThreadAllocatedBytes(tid) - alloc0;
        int rateImages = images * 5;
        t0 = System.nanoTime();
        for (int i = 0; i < rateImages; i++) {
            rate.present(inputs[i % inputs.length], rr);
        }
        long rateNanos = System.nanoTime() - t0;
        System.gc();
        Runtime rt = Runtime.getRuntime();
        double spikingMs = spikingNanos / 1e6 / images;
        double rateMs = rateNanos / 1e6 / rateImages;
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.3f | %.0fx | %.0f | %.3g | %.0f | %.0f MB |%n", label, spikingMs,
                rateMs, spikingMs / rateMs, (double) spikes / images, (double) events / images,
                (double) alloc / images, (rt.totalMemory() - rt.freeMemory()) / 1e6);
    }
}
