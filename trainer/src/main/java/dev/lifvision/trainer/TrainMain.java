package dev.lifvision.trainer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Entry point of {@code lifvision-train}. */
@Command(name = "lifvision-train", mixinStandardHelpOptions = true,
        description = "Train soft-LIF networks with noise (Hunsberger & Eliasmith 2015) and export node bundles.",
        subcommands = {TrainMain.Train.class, TrainMain.Finetune.class, ThroughputProbe.class, CommandLine.HelpCommand.class})
public final class TrainMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return dev.lifvision.cli.Main.withErrorHandling(new CommandLine(new TrainMain()), "lifvision-train");
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where a run writes, shared by train and finetune. */
    static final class Output {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .lifb bundle to write.")
        Path out;

        @Option(names = "--work", paramLabel = "DIR", description = "Checkpoint folder (default: OUT without .lifb + .work).")
        Path work;

        @Option(names = "--resume", description = "Continue the run checkpointed in the work folder.")
        boolean resume;

        @Option(names = "--store", defaultValue = "float32", paramLabel = "TYPE",
                description = "Weight precision in the bundle: float32 | float16 | int8 (per-channel scales) (default: ${DEFAULT-VALUE}).")
        String store;

        @Option(names = "--force", description = "Replace OUT if it exists.")
        boolean force;

        Path work() {
            return work != null ? work : Trainer.sibling(out, ".work");
        }

        String store() {
            if (!store.equals("float32") && !store.equals("float16") && !store.equals("int8")) {
                throw new IllegalArgumentException("--store must be float32, float16 or int8, got '" + store + "'");
            }
            return store;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train an architecture on a dataset; checkpoint every epoch; export the",
                    "best epoch (by validation accuracy).", "",
                    "Example:", "  lifvision-train train --arch mnist-paper \\",
                    "      --data mnist:../shared/datasets/mnist --out mnist.lifb"})
    static final class Train implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Output output;

        @Option(names = "--arch", required = true, paramLabel = "NAME|FILE",
                description = "mnist-paper, mnist-small, cifar10-paper, cifar10-conv, cifar10-small, or a YAML/JSON file.")
        String arch;

        @Option(names = "--data", required = true, paramLabel = "KIND:PATH", description = "mnist:DIR | cifar10:DIR | folder:DIR")
        String data;

        @Option(names = "--epochs", paramLabel = "N", description = "Override the architecture's epoch count.")
        Integer epochs;

        @Option(names = "--max-epochs-this-run", paramLabel = "N", defaultValue = "2147483647",
                description = "Stop after N epochs (checkpointed) and export; continue later with --resume.")
        int maxThisRun;

        @Option(names = "--batch", paramLabel = "N", description = "Override the batch size.")
        Integer batch;

        @Option(names = "--limit", paramLabel = "N", description = "Use a random subset of N training images (seeded).")
        Integer limit;

        @Option(names = "--validation", paramLabel = "N", description = "Held-out validation images (default: the architecture's).")
        Integer validation;

        @Override
        public Integer call() throws Exception {
            String store = output.store();
            Architecture a = Architecture.resolve(arch);
            PrintWriter log = spec.commandLine().getErr();
            Dl4jSetup.enableOneDnnHelpers();
            var r = new Trainer(log).train(a, data, new Trainer.Options(output.out, output.work(), output.resume,
                    output.force, epochs, batch, limit, validation, store, maxThisRun));
            System.out.printf(Locale.ROOT, "%s: test error %.2f %% (rate ANN), best validation error %.2f %% at epoch %d, "
                    + "%.1f min of training%n", output.out, 100 * (1 - r.testAccuracy()), 100 * (1 - r.bestValAccuracy()),
                    r.epochs(), r.seconds() / 60);
            return 0;
        }
    }

    @Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Continue training a bundle on new data (same labels, or a new output",
                    "layer when they differ) at a lower learning rate, optionally mixing in",
                    "the original dataset against forgetting.", "",
                    "Example:", "  lifvision-train finetune --base mnist.lifb --data folder:captures \\",
                    "      --out mnist-ft.lifb --mix mnist:../shared/datasets/mnist"})
    static final class Finetune implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--base", required = true, paramLabel = "M.lifb", description = "The bundle to start from.")
        Path base;

        @CommandLine.Mixin
        Output output;

        @Option(names = "--arch", paramLabel = "NAME|FILE", description = "Its architecture (default: the one in its provenance).")
        String arch;

        @Option(names = "--data", required = true, paramLabel = "KIND:PATH", description = "The new training data (folder:DIR for captures).")
        String data;

        @Option(names = "--mix", paramLabel = "KIND:PATH", description = "The original dataset to mix in.")
        String mix;

        @Option(names = "--mix-fraction", defaultValue = "1.0", paramLabel = "F",
                description = "Mixed-in images per fine-tuning image (default: ${DEFAULT-VALUE}).")
        double mixFraction;

        @Option(names = "--lr-scale", defaultValue = "0.1", paramLabel = "F",
                description = "Learning rate relative to the architecture's (default: ${DEFAULT-VALUE}).")
        double lrScale;

        @Option(names = "--epochs", defaultValue = "5", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--neuron", paramLabel = "TYPE", description = {"softlif | lif: lif fine-tunes with the hard LIF rate the",
                "spiking net really has (default: the architecture's)."})
        String neuron;

        @Option(names = "--validation", paramLabel = "N", description = "Held-out validation images (default: a tenth, at most the architecture's).")
        Integer validation;

        @Override
        public Integer call() throws Exception {
            String store = output.store();
            if (!(lrScale > 0) || !(mixFraction >= 0)) {
                throw new IllegalArgumentException("--lr-scale must be > 0 and --mix-fraction >= 0");
            }
            dev.lifvision.bundle.Bundle b = dev.lifvision.bundle.Bundle.read(base);
            String archRef = arch;
            if (archRef == null) {
                var p = b.manifest().provenance();
                if (p == null || p.path("architecture").asText().isEmpty()) {
                    throw new IllegalArgumentException(base + ": no architecture in its provenance; pass --arch");
                }
                archRef = p.path("architecture").asText();
            }
            Architecture a = Architecture.resolve(archRef);
            var t = a.training();
            Architecture.Neuron n = a.neuron();
            if (neuron != null) {
                if (!neuron.equals("softlif") && !neuron.equals("lif")) {
                    throw new IllegalArgumentException("--neuron must be softlif or lif, got '" + neuron + "'");
                }
                n = new Architecture.Neuron(neuron, n.tauRc(), n.tauRef(), n.gain(), n.amplitude(), n.gamma(), n.noiseSigma());
            }
            Architecture tuned = new Architecture(a.name(), a.description(), a.input(), n, a.layers(),
                    new Architecture.Training(t.optimizer(), t.learningRate() * lrScale, t.momentum(), List.of(),
                            t.decayFactor(), t.batch(), epochs, Math.max(2, epochs), t.weightDecay(), t.validation(),
                            t.seed()), a.simulation());
            Dl4jSetup.enableOneDnnHelpers();
            var r = new Trainer(spec.commandLine().getErr()).finetune(b, tuned, data, mix, mixFraction,
                    new Trainer.Options(output.out, output.work(), output.resume, output.force, epochs, null, null,
                            validation, store, Integer.MAX_VALUE));
            System.out.printf(Locale.ROOT, "%s: test error %.2f %% (rate ANN) after fine-tuning%n", output.out,
                    100 * (1 - r.testAccuracy()));
            return 0;
        }
    }
}
