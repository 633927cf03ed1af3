package dev.lifvision.trainer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Entry point of {@code lifvision-train}. */
@Command(name = "lifvision-train", mixinStandardHelpOptions = true,
        description = "Train soft-LIF networks with noise (Hunsberger & Eliasmith 2015) and export node bundles.",
        subcommands = {TrainMain.Train.class, TrainMain.Finetune.class, LabelCommand.class, RetrainDemo.Command.class,
                ThroughputProbe.class, CommandLine.HelpCommand.class})
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
                    "best epoch (by validation accuracy), or the mean of the last epochs'",
                    "weights when the architecture sets training.average_from and the mean",
                    "validates at least as well.", "",
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
            System.out.printf(Locale.ROOT, "%s: test error %.2f %% (rate ANN), validation error %.2f %% (%s), "
                    + "%.1f min of training%n", output.out, 100 * (1 - r.testAccuracy()), 100 * (1 - r.valAccuracy()),
                    r.exported(), r.seconds() / 60);
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

        @Option(names = "--base", required = true, paramLabel = "M.lifb|NAME",
                description = "The bundle to start from: a .lifb file or a model shipped with the node (mnist, cifar10).")
        String base;

        @CommandLine.Mixin
        Output output;

        @Option(names = "--arch", paramLabel = "NAME|FILE", description = "Its architecture (default: the one in its provenance).")
        String arch;

        @Option(names = "--data", required = true, paramLabel = "KIND:PATH", description = "The new training data (folder:DIR for captures).")
        String data;

        @Option(names = "--mix", paramLabel = "KIND:PATH", description = "The original dataset to mix in.")
        String mix;

        @Option(names = "--mix-fraction", paramLabel = "F",
                description = "Mixed-in images per fine-tuning image (default: 1, i.e. --mix-ratio 0.5).")
        Double mixFraction;

        @Option(names = "--mix-ratio", paramLabel = "R", description = {"Share of each epoch (and so of each shuffled",
                "batch, on average) taken from --mix, 0 <= R < 1: R/(1-R) mixed-in images per",
                "fine-tuning image. Use this or --mix-fraction."})
        Double mixRatio;

        @Option(names = "--holdout", defaultValue = "0.2", paramLabel = "F", description = {"For a capture folder (folder:DIR",
                "without train/ and test/): the newest F of each class is held out for the",
                "before/after table (default: ${DEFAULT-VALUE})."})
        double holdout;

        @Option(names = "--also", paramLabel = "[NAME=]KIND:PATH", description = {"Another labelled set (its test split) for",
                "the before/after table; repeatable."})
        List<String> also = new java.util.ArrayList<>();

        @Option(names = "--report-rate", defaultValue = "5000", paramLabel = "N",
                description = "Images per set scored with the rate backend in the table, 0: none (default: ${DEFAULT-VALUE}).")
        int reportRate;

        @Option(names = "--report-spiking", defaultValue = "500", paramLabel = "N",
                description = "Images per set scored with the spiking backend in the table, 0: none (default: ${DEFAULT-VALUE}).")
        int reportSpiking;

        @Option(names = "--threads", paramLabel = "N", description = "Threads for the table (default: all cores).")
        Integer threads;

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
            long t0 = System.nanoTime();
            String store = output.store();
            if (mixFraction != null && mixRatio != null) {
                throw new IllegalArgumentException("give --mix-ratio or --mix-fraction, not both");
            }
            if (mixRatio != null && !(mixRatio >= 0 && mixRatio < 1)) {
                throw new IllegalArgumentException("--mix-ratio must be in [0, 1), got " + mixRatio);
            }
            double fraction = mixRatio != null ? mixRatio / (1 - mixRatio) : mixFraction != null ? mixFraction : 1.0;
            if (!(lrScale > 0) || !(fraction >= 0)) {
                throw new IllegalArgumentException("--lr-scale must be > 0 and --mix-fraction >= 0");
            }
            if (!(holdout >= 0 && holdout < 1)) {
                throw new IllegalArgumentException("--holdout must be in [0, 1), got " + holdout);
            }
            dev.lifvision.bundle.Bundle b = dev.lifvision.cli.Models.load(base);
            var p = b.manifest().provenance();
            String archRef = arch;
            if (archRef == null) {
                if (p == null || p.path("architecture").asText().isEmpty()) {
                    throw new IllegalArgumentException(base + ": no architecture in its provenance; pass --arch");
                }
                archRef = p.path("architecture").asText();
            }
            Architecture a = Architecture.resolve(archRef);
            var t = a.training();
            Architecture.Neuron n = a.neuron();
            String neuronType = neuron;
            if (neuronType == null && p != null && !p.path("neuron").asText().isEmpty()) {
                neuronType = p.path("neuron").asText(); // the neuron the base was last trained with
            }
            if (neuronType != null) {
                if (!neuronType.equals("softlif") && !neuronType.equals("lif")) {
                    throw new IllegalArgumentException("--neuron must be softlif or lif, got '" + neuronType + "'");
                }
                n = n.withType(neuronType);
            }
            Architecture tuned = new Architecture(a.name(), a.description(), a.input(), n, a.layers(),
                    new Architecture.Training(t.optimizer(), t.learningRate() * lrScale, t.momentum(), List.of(),
                            t.decayFactor(), t.batch(), epochs, Math.max(2, epochs), t.weightDecay(), t.validation(),
                            t.seed(), 0), a.simulation());
            PrintWriter log = spec.commandLine().getErr();
            // the original test set for the table: --mix's, else the base's own dataset when it is here
            String original = mix;
            if (original == null && p != null && !p.path("dataset").asText().isEmpty()) {
                original = p.path("dataset").asText();
            }
            List<FinetuneReport.Named> extra = new java.util.ArrayList<>();
            for (String x : also) {
                int eq = x.indexOf('=');
                boolean named = eq > 0 && eq < x.indexOf(':');
                String sp = named ? x.substring(eq + 1) : x;
                extra.add(new FinetuneReport.Named(named ? x.substring(0, eq) + " (" + sp + ")" : sp,
                        FolderData.loadTest(sp, a.input())));
            }
            FolderData.Sets sets = FolderData.load(data, a.input(), holdout, log);
            log.printf(Locale.ROOT, "%s: %d images in %d classes; %s%n", data, sets.train().size() + (sets.test() == sets.train()
                    ? 0 : sets.test().size()), sets.train().classNames().size(), sets.description());
            Dl4jSetup.enableOneDnnHelpers();
            var r = new Trainer(log).finetune(b, tuned, sets, data, mix, fraction,
                    new Trainer.Options(output.out, output.work(), output.resume, output.force, epochs, null, null,
                            validation, store, Integer.MAX_VALUE));
            System.out.printf(Locale.ROOT, "%s: test error %.2f %% (rate ANN) after fine-tuning%n", output.out,
                    100 * (1 - r.testAccuracy()));
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            if (reportRate <= 0 && reportSpiking <= 0) {
                return 0;
            }
            List<FinetuneReport.Named> sets2 = new java.util.ArrayList<>();
            sets2.add(new FinetuneReport.Named("held-out " + data, sets.test()));
            if (original != null) {
                try {
                    sets2.add(new FinetuneReport.Named("original " + original + " (test)",
                            FolderData.loadTest(original, a.input())));
                } catch (IOException e) {
                    log.printf(Locale.ROOT, "original test set %s not measured: %s%n", original, e.getMessage());
                }
            } else {
                log.println("original test set not measured: no --mix and no dataset in the base's provenance");
            }
            sets2.addAll(extra);
            int th = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            var rows = FinetuneReport.measure(b, r.bundle(), sets2, reportRate, reportSpiking, th, log);
            System.out.println();
            System.out.print(FinetuneReport.text(rows));
            java.nio.file.Path md = Trainer.sibling(output.out, ".finetune-report.md");
            java.nio.file.Path csv = Trainer.sibling(output.out, ".finetune-report.csv");
            String pre = String.format(Locale.ROOT, "Base `%s` (sha256 %s), fine-tuned on `%s` (%s) with %s, %d epochs, "
                            + "learning rate x%s, neuron %s, mix %s (%.2f mixed-in images per capture); new bundle `%s` "
                            + "(sha256 %s). Training took %.1f min; the table %.1f min more.\n\nErrors by the node's backends "
                            + "(rate: the ANN; spiking: the bundle's simulation settings, constant-current input), the "
                            + "same images for both models.", base, b.sha256(), data,
                    sets.description(), t.optimizer(), epochs, lrScale, n.type(), mix == null ? "none" : mix, mix == null ? 0 : fraction,
                    output.out.getFileName(), r.bundle().sha256(), trainSeconds / 60,
                    ((System.nanoTime() - t0) / 1e9 - trainSeconds) / 60);
            FinetuneReport.write(md, csv, "Fine-tuning report: " + output.out.getFileName(), pre, rows);
            System.out.println("wrote " + md + " and " + csv);
            return 0;
        }
    }
}
