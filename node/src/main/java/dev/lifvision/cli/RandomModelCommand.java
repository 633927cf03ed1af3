package dev.lifvision.cli;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.InputSpec;
import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.network.RandomFeatures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "random-model", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a model without a trainer: a hidden layer of LIF neurons with seeded random weights",
                "and a least-squares linear readout fitted on the training split. A stand-in for trained",
                "models (about 90 % on MNIST with 1000 hidden neurons) and a fixture for tests."})
final class RandomModelCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "KIND:PATH", description = "mnist:DIR | cifar10:DIR | folder:DIR")
    String data;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .lifb to write.")
    Path out;

    @Option(names = "--hidden", defaultValue = "1000", description = "Hidden LIF neurons (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--limit", defaultValue = "20000", description = "Training images used (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (hidden <= 0 || limit <= 0) {
            throw new IllegalArgumentException("--hidden and --limit must be positive");
        }
        ImageSet train = Datasets.load(data, Split.TRAIN, null).limit(limit);
        String color = train.channels() == 1 ? "gray" : "rgb";
        InputSpec in = new InputSpec(train.height(), train.width(), train.channels(), color, "stretch", 1.0 / 255, 0, null);
        Preprocessor pre = new Preprocessor(in, null);
        float[][] x = new float[train.size()][train.imageSize()];
        for (int i = 0; i < train.size(); i++) {
            pre.apply(train.pixels(), i * train.imageSize(), train.height(), train.width(), train.channels(), x[i]);
        }
        Bundle b = RandomFeatures.fit("random-features-" + hidden, in, train.classNames(), x, train.labels(), hidden,
                NeuronSpec.lif(0.022, 0.002, 1.0, 0.063), 3.0, 1e-4, seed);
        b.write(out, force);
        System.out.println("wrote " + out + " (" + hidden + " hidden LIF neurons, readout fitted on " + train.size()
                + " images of " + train.source() + ")");
        return 0;
    }
}
