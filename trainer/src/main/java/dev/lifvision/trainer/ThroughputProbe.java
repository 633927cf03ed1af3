package dev.lifvision.trainer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Training throughput of an architecture on random data (the speed figures in BENCHMARKS.md):
 * images/s, effective GFLOP/s (3 x forward FLOPs, 2 per multiply-add) and minutes per epoch.
 * Run each helper setting in its own JVM: DL4J decides about helpers when layers are created.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure training speed of an architecture on random data (batches after a warm-up).")
final class ThroughputProbe implements Callable<Integer> {
    @Option(names = "--arch", required = true, paramLabel = "NAME|FILE", description = "Architecture to measure.")
    String arch;

    @Option(names = "--helpers", defaultValue = "on", paramLabel = "on|off",
            description = "DL4J oneDNN helpers (default: ${DEFAULT-VALUE}).")
    String helpers;

    @Option(names = "--batches", defaultValue = "20", paramLabel = "N", description = "Timed batches (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "N", description = "Untimed batches first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default: the architecture's).")
    Integer batch;

    @Option(names = "--epoch-images", defaultValue = "50000", paramLabel = "N",
            description = "Images per epoch for the minutes-per-epoch figure (default: ${DEFAULT-VALUE}).")
    int epochImages;

    @Override
    public Integer call() throws Exception {
        System.setProperty(Dl4jSetup.HELPERS_DISABLE, helpers.equals("on") ? "false" : "true");
        Architecture a = Architecture.resolve(arch);
        int b = batch != null ? batch : a.training().batch();
        MultiLayerNetwork net = NetworkFactory.build(a, 10);
        var in = a.input();
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, b, in.channels(), in.netHeight(), in.netWidth());
        INDArray y = Nd4j.zeros(DataType.FLOAT, b, 10);
        for (int i = 0; i < b; i++) {
            y.putScalar(i, i % 10, 1.0);
        }
        DataSet ds = new DataSet(x, y);
        for (int i = 0; i < warmup; i++) {
            net.fit(ds);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            net.fit(ds);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double imagesPerSecond = (double) batches * b / secs;
        long flops = 3 * NetworkFactory.forwardFlops(a, 10);
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %.3f | %.0f | %.1f | %.1f |%n", a.name(), helpers, b, secs / batches,
                imagesPerSecond, flops * imagesPerSecond / 1e9, epochImages / imagesPerSecond / 60);
        return 0;
    }
}
