package dev.lifvision.cli;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.emulator.CoreMapper;
import dev.lifvision.emulator.LoihiBackend;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.eval.EvalResult;
import dev.lifvision.eval.Evaluator;
import dev.lifvision.network.DecisionRule;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify a labelled dataset with a model; report the error rate, confusion",
                "counts, time per image, spikes and synaptic events per image.", "",
                "Example:", "  lifvision eval --model m.lifb --data mnist:../shared/datasets/mnist"})
final class EvalCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "mnist", paramLabel = "M",
            description = "A .lifb bundle or a shipped model name: mnist, cifar10 (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--data", required = true, paramLabel = "KIND:PATH",
            description = "mnist:DIR | cifar10:DIR | folder:DIR_OR_TAR_GZ")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "train | test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--backend", defaultValue = "spiking", description = {"rate | spiking | loihi (default: ${DEFAULT-VALUE}).",
            "loihi: the integer hardware emulator (node/EMULATOR.md); with --input current the first layer runs on",
            "the host and its spikes enter the chip, with poisson or regular the pixels enter as spikes."})
    String backend;

    @Option(names = "--presentation", paramLabel = "SECONDS", description = "Time each image is shown (default: the bundle's).")
    Double presentation;

    @Option(names = "--dt", paramLabel = "SECONDS", description = "Simulation time step (default: the bundle's).")
    Double dt;

    @Option(names = "--synapse", paramLabel = "TYPE[:TAU]", description = "none | lowpass:TAU | alpha:TAU (default: the bundle's).")
    String synapse;

    @Option(names = "--readout", paramLabel = "START:END", description = "Readout window in seconds from onset (default: the bundle's).")
    String readout;

    @Option(names = "--mode", paramLabel = "MODE", description = "reset (state cleared per image) | continuous (default: the bundle's).")
    String mode;

    @Option(names = "--input", defaultValue = "current", paramLabel = "CODING",
            description = "current | poisson | regular (default: ${DEFAULT-VALUE}).")
    String input;

    @Option(names = "--input-rate", defaultValue = "250", paramLabel = "HZ",
            description = "Spike rate for an input value of 1 with spike coding (default: ${DEFAULT-VALUE}).")
    double inputRate;

    @Option(names = "--early-decision", description = {"Apply the bundle's calibrated confidence rule (end a presentation",
            "once the top output leads by the stored margin), as the node does by default."})
    boolean earlyDecision;

    @Option(names = "--limit", paramLabel = "N", description = "Use a random subset of N images (fixed seed).")
    Integer limit;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed for Poisson input (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Bundle bundle = Models.load(model);
        Network net = Network.of(bundle);
        SimOptions opt = options(bundle);
        Split sp = switch (split.toLowerCase(Locale.ROOT)) {
            case "test" -> Split.TEST;
            case "train" -> Split.TRAIN;
            default -> throw new IllegalArgumentException("--split must be train or test, got '" + split + "'");
        };
        if (limit != null && limit <= 0) {
            throw new IllegalArgumentException("--limit must be positive, got " + limit);
        }
        ImageSet set = Datasets.load(data, sp, null);
        if (limit != null && limit < set.size()) {
            // a fixed random subset: folder datasets are sorted by class, so the first N would be one class
            set = set.shuffled(1).limit(limit);
        }
        int[] labelMap = Evaluator.labelMap(set.classNames(), net.labels());
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Evaluator ev = new Evaluator(net, backend, opt, () -> Preprocessor.of(bundle));
        DecisionRule rule = null;
        if (earlyDecision) {
            rule = DecisionRule.of(bundle.manifest());
            if (rule == null) {
                throw new IllegalArgumentException("--early-decision: model " + model
                        + " has no confidence rule (run lifvision-calibrate on it first)");
            }
            String why = rule.whyNot(opt, SimOptions.of(bundle.manifest().simulation()), backend);
            if (why != null) {
                throw new IllegalArgumentException("--early-decision: the calibrated rule does not hold here: " + why);
            }
            ev.withDecisionRule(rule);
        }
        PrintStream o = System.out;
        o.printf(Locale.ROOT, "model %s, %s backend, %d images from %s, %d thread(s)%n", net.name(), backend, set.size(),
                set.source(), nThreads);
        if (!backend.equals("rate")) {
            o.printf(Locale.ROOT, "dt %g s, %d steps (%g s), synapse %s, readout steps %d..%d, %s, input %s%n",
                    opt.dt(), opt.steps(), opt.presentation(), describe(opt.synapse()), opt.readoutFirstStep() + 1,
                    opt.readoutLastStep() + 1, opt.continuous() ? "continuous" : "reset per image",
                    opt.coding().name().toLowerCase(Locale.ROOT));
        }
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "eval", set.size(), "img");
        EvalResult r = ev.run(set, labelMap, nThreads, bar::update);
        report(o, r, net);
        if (rule != null) {
            o.printf(Locale.ROOT, "decision    early (%s): mean %.1f ms of %.0f ms per image%n", rule,
                    1000 * opt.dt() * r.stepsRun / Math.max(1, r.frames), 1000 * opt.dt() * opt.steps());
        }
        if (backend.equals(LoihiBackend.NAME)) {
            var q = LoihiBackend.quantised(net, opt);
            var res = CoreMapper.map(q);
            o.printf(Locale.ROOT, "emulator    %s parameters %s, input %s, %d cores, %d chip(s); overflows: %s%n",
                    q.chip().name(), q.stored() ? "stored in the bundle" : "quantised at load",
                    q.inputPath() == dev.lifvision.emulator.Quantiser.InputPath.HOST ? "first layer on the host"
                            : "pixel spikes", res.cores(), res.chips(), q.overflowReport());
        }
        return 0;
    }

    SimOptions options(Bundle bundle) {
        SimOptions opt = SimOptions.of(bundle.manifest().simulation());
        if (dt != null) {
            opt = opt.withDt(dt);
        }
        if (presentation != null) {
            opt = opt.withPresentation(presentation);
        }
        if (synapse != null) {
            opt = opt.withSynapse(SynapseSpec.parse(synapse));
        }
        if (readout != null) {
            String[] p = readout.split(":");
            if (p.length != 2) {
                throw new IllegalArgumentException("--readout must be START:END in seconds, got '" + readout + "'");
            }
            opt = opt.withReadout(Double.parseDouble(p[0]), Double.parseDouble(p[1]));
        }
        if (mode != null) {
            if (!mode.equals("reset") && !mode.equals("continuous")) {
                throw new IllegalArgumentException("--mode must be reset or continuous, got '" + mode + "'");
            }
            opt = opt.withContinuous(mode.equals("continuous"));
        }
        return opt.withCoding(InputCoding.parse(input), inputRate).withSeed(seed);
    }

    private static String describe(SynapseSpec s) {
        return s.type().equals("none") ? "none" : s.type() + " tau " + s.tau() + " s";
    }

    static void report(PrintStream o, EvalResult r, Network net) {
        o.printf(Locale.ROOT, "error rate  %.2f %% (%d of %d wrong)%n", 100 * r.errorRate(), r.errors, r.frames);
        o.printf(Locale.ROOT, "time        %.3f ms per image in the network (one thread), %.1f images/s overall%n",
                r.perFrame(r.networkNanos) / 1e6, r.frames / (r.wallNanos / 1e9));
        long spikes = 0;
        StringBuilder per = new StringBuilder();
        for (int k = 0; k < r.spikesPerLayer.length - 1; k++) {
            spikes += r.spikesPerLayer[k];
            per.append(k == 0 ? "" : ", ").append(net.stage(k).name()).append(' ')
                    .append(String.format(Locale.ROOT, "%.0f", r.perFrame(r.spikesPerLayer[k])));
        }
        if (r.steps > 1) {
            o.printf(Locale.ROOT, "spikes      %.0f per image (%s)%n", r.perFrame(spikes), per);
            o.printf(Locale.ROOT, "events      %.0f synaptic events, %.0f neuron updates per image%n",
                    r.perFrame(r.synapticEvents), r.perFrame(r.neuronUpdates));
            o.printf(Locale.ROOT, "energy      %.3g FLOP-equivalents per image vs %.3g for the ANN (%.2fx)%n",
                    r.perFrame(r.energyFlops), (double) net.annFlops(), net.annFlops() / r.perFrame(r.energyFlops));
        }
        List<String> labels = net.labels();
        o.println("confusion (rows: true label, columns: predicted)");
        int width = 6;
        for (String l : labels) {
            width = Math.max(width, Math.min(12, l.length() + 1));
        }
        StringBuilder head = new StringBuilder(String.format("%" + width + "s", ""));
        for (String l : labels) {
            head.append(String.format("%" + width + "s", abbreviate(l, width - 1)));
        }
        o.println(head);
        for (int i = 0; i < labels.size(); i++) {
            StringBuilder row = new StringBuilder(String.format("%" + width + "s", abbreviate(labels.get(i), width - 1)));
            for (int j = 0; j < labels.size(); j++) {
                row.append(String.format("%" + width + "d", r.confusion[i][j]));
            }
            o.println(row);
        }
    }

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }
}
