package dev.lifvision.calibration;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.cli.Main;
import dev.lifvision.cli.Models;
import dev.lifvision.cli.ProgressBar;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lifvision-calibrate}: measures a bundle on a calibration set and writes a calibrated copy plus a report. */
@Command(name = "lifvision-calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = Main.Version.class,
        description = {"Choose presentation time, readout window and synapse from measurements, write them into a",
                "new bundle (the input is never modified), and write report.md, curves.csv and PNG plots.", "",
                "Example:", "  lifvision-calibrate --model mnist --out cal-mnist --test"})
public final class CalibrateMain implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "mnist", paramLabel = "M",
            description = "A .lifb bundle or a shipped model name (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--out", paramLabel = "DIR", description = "Report directory (default: calibration-<model name>).")
    Path out;

    @Option(names = "--bundle-out", paramLabel = "FILE",
            description = "Calibrated bundle (default: DIR/<model name>-calibrated.lifb).")
    Path bundleOut;

    @Option(names = "--force", description = "Replace an existing calibrated bundle (never the input).")
    boolean force;

    @Option(names = "--data", paramLabel = "KIND:PATH",
            description = "Calibration dataset (default: the dataset in the bundle's provenance).")
    String data;

    @Option(names = "--split", defaultValue = "train", description = "train (held-out slice, default) | test.")
    String split;

    @Option(names = "--limit", defaultValue = "1000", paramLabel = "N",
            description = "Calibration images (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--confirm", defaultValue = "1000", paramLabel = "N",
            description = {"Further held-out images (after the calibration set, same slice) on which the sweep's",
                    "fastest settings are measured again before one is accepted: kept if within the tolerance",
                    "there, else re-chosen there with the margin; 0: none (default: ${DEFAULT-VALUE})."})
    int confirm;

    @Option(names = "--tolerance", paramLabel = "PERCENT",
            description = "Allowed SNN error above the ANN's, in percent (default: 0.3 MNIST, 0.5 CIFAR-10).")
    Double tolerance;

    @Option(names = "--margin", defaultValue = "1.0", paramLabel = "SIGMAS",
            description = "Statistical margin: a setting qualifies when its excess error over the ANN plus this many "
                    + "standard errors (from the images where SNN and ANN disagree) is within the tolerance; 0 trusts "
                    + "the calibration sample as it is (default: ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--taus", defaultValue = "0.002,0.005", split = ",", paramLabel = "SECONDS",
            description = "Synapse time constants for lowpass and alpha (default: ${DEFAULT-VALUE}); none is always measured.")
    List<Double> taus;

    @Option(names = "--synapses", split = ",", paramLabel = "SPEC",
            description = "Explicit synapse list instead of --taus, e.g. none,alpha:0.005.")
    List<String> synapses;

    @Option(names = "--max-time", defaultValue = "0.2", paramLabel = "SECONDS",
            description = "Longest presentation measured (default: ${DEFAULT-VALUE}).")
    double maxTime;

    @Option(names = "--tp-step", defaultValue = "10", paramLabel = "MS", description = "t_p grid step (default: ${DEFAULT-VALUE}).")
    int tpStep;

    @Option(names = "--tc-step", defaultValue = "5", paramLabel = "MS", description = "t_c grid step (default: ${DEFAULT-VALUE}).")
    int tcStep;

    @Option(names = "--no-rate-scaling", description = "Do not try data-based rate scaling.")
    boolean noRateScaling;

    @Option(names = "--test", description = "Also evaluate on the test split (reported figures; never used for choosing).")
    boolean test;

    @Option(names = "--test-limit", paramLabel = "N", description = "Test images (default: all).")
    Integer testLimit;

    @Option(names = "--emulator-tolerance", defaultValue = "0.5", paramLabel = "PCT",
            description = "Largest emulator (loihi) error above the float SNN's, in percentage points, for the bundle "
                    + "to be marked emulator-ready (default: ${DEFAULT-VALUE}).")
    double emulatorTolerance;

    @Option(names = "--no-emulator", description = "Skip quantisation for the hardware emulator.")
    boolean noEmulator;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return Main.withErrorHandling(new CommandLine(new CalibrateMain()), "lifvision-calibrate");
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter o = spec.commandLine().getOut();
        if (limit <= 0) {
            throw new IllegalArgumentException("--limit must be positive, got " + limit);
        }
        Split sp = switch (split.toLowerCase(Locale.ROOT)) {
            case "train" -> Split.TRAIN;
            case "test" -> Split.TEST;
            default -> throw new IllegalArgumentException("--split must be train or test, got '" + split + "'");
        };
        if (test && sp == Split.TEST) {
            throw new IllegalArgumentException("--test reports figures on the test split, so the calibration set must "
                    + "not be the test split (use --split train)");
        }
        Bundle input = Models.load(model);
        String name = input.manifest().name();
        Path dir = out != null ? out : Path.of("calibration-" + ReportWriter.safe(name));
        Path target = bundleOut != null ? bundleOut : dir.resolve(ReportWriter.safe(name) + "-calibrated.lifb");
        Path inputPath = Path.of(model);
        if (Files.isRegularFile(inputPath) && Files.exists(target)
                && Files.isSameFile(inputPath.toAbsolutePath(), target.toAbsolutePath())) {
            throw new IllegalArgumentException("the calibrated bundle " + target + " would replace the input; choose another --bundle-out");
        }
        if (Files.exists(target) && !force) {
            throw new IllegalArgumentException(target + " exists; pass --force to replace it");
        }
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (confirm < 0) {
            throw new IllegalArgumentException("--confirm must be >= 0, got " + confirm);
        }
        CalibrationData cd = CalibrationData.load(input, data, sp, limit, confirm);
        String dsSpec = data != null ? data : input.manifest().provenance().get("dataset").asText();
        double tol = tolerance != null ? tolerance / 100 : dsSpec.startsWith("cifar") ? 0.005 : 0.003;
        List<SynapseSpec> syn = new ArrayList<>();
        if (synapses != null) {
            for (String s : synapses) {
                syn.add(SynapseSpec.parse(s));
            }
        } else {
            syn = Settings.synapses(taus.stream().mapToDouble(Double::doubleValue).toArray());
        }
        Settings settings = new Settings(tol, syn, maxTime, tpStep, tcStep, !noRateScaling, 0.4, 4.0, nThreads,
                margin);
        o.printf(Locale.ROOT, "model %s, calibration set: %s%n", name, cd.description);
        if (cd.warning != null) {
            err.println("warning: " + cd.warning);
        }
        o.printf(Locale.ROOT, "sweeping %s, t_p up to %s s, %d threads, tolerance %.2f %% with a %.1f-sigma margin%n", syn,
                maxTime, nThreads, 100 * tol, margin);
        o.flush();
        if (!(emulatorTolerance >= 0 && emulatorTolerance < 100)) {
            throw new IllegalArgumentException("--emulator-tolerance must be in [0, 100) percentage points, got " + emulatorTolerance);
        }
        Calibrator cal = new Calibrator(settings, (label, total) -> {
            ProgressBar bar = new ProgressBar(err, label, total, "runs");
            return bar::update;
        }).withEmulatorTolerance(noEmulator ? -1 : emulatorTolerance / 100);
        if (confirm > 0 && cd.confirm.size() == 0) {
            err.println("warning: no held-out images are left after the calibration set for the confirmation; the"
                    + " sweep's choice is taken as it is (lower --limit to leave some)");
        }
        Calibrator.Result r = cal.run(input, cd.images, cd.labelMap, cd.description, cd.confirm, cd.confirmDescription);
        ReportWriter.Extras x = new ReportWriter.Extras();
        x.command = "lifvision-calibrate " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        x.warning = cd.warning;
        if (r.calibrated != null) {
            x.bundlePath = target;
            ProgressBar vb = new ProgressBar(err, "verify", cd.images.size(), "img");
            x.verifySnn = Calibrator.evaluate(r.calibrated, "spiking", cd.images, cd.labelMap, nThreads, vb::update);
            if (test) {
                long ts = System.nanoTime();
                ImageSet testSet = Datasets.load(dsSpec, Split.TEST, null);
                CalibrationData.check(input, testSet);
                if (testLimit != null && testLimit < testSet.size()) {
                    testSet = testSet.shuffled(1).limit(testLimit);
                }
                int[] map = dev.lifvision.eval.Evaluator.labelMap(testSet.classNames(), input.manifest().labels());
                x.testDescription = testSet.source() + ", " + testSet.size() + " images";
                x.testAnn = Calibrator.evaluate(input, "rate", testSet, map, nThreads, null);
                if (r.chosen.variant() == 1) {
                    x.testAnnCalibrated = Calibrator.evaluate(r.calibrated, "rate", testSet, map, nThreads, null);
                }
                ProgressBar tb = new ProgressBar(err, "test", testSet.size(), "img");
                x.testSnn = Calibrator.evaluate(r.calibrated, "spiking", testSet, map, nThreads, tb::update);
                x.testNanos = System.nanoTime() - ts;
            }
        }
        x.wallNanos = System.nanoTime() - t0;
        ReportWriter.write(dir, r, x);
        if (r.failure != null) {
            throw new CalibrationException(r.failure + " (report: " + dir.resolve("report.md") + ")");
        }
        r.calibrated.write(target, force);
        Calibrator.Choice c = r.chosen;
        o.printf(Locale.ROOT, "ANN error %.2f %%; chosen %s%n", 100 * r.annError(), r.describe(c));
        if (r.confirmation != null) {
            Calibrator.Confirmation cf = r.confirmation;
            o.printf(Locale.ROOT, "confirmed on %d further held-out images: %s (ANN %.2f %% there)%n", cf.images,
                    r.describeOn(cf.confirmed, cf.images), 100.0 * cf.annErrors / cf.images);
        }
        if (x.verifySnn != null) {
            o.printf(Locale.ROOT, "written bundle re-evaluated on the calibration set: %d errors (sweep: %d)%n",
                    x.verifySnn.errors, c.errors());
        }
        Curves cv = r.curves.get(c.variant());
        o.printf(Locale.ROOT, "energy: %.3g FLOP-equivalents per image vs %.3g for the ANN: %.2fx%n", c.energy(),
                (double) cv.m.net.annFlops(), cv.m.net.annFlops() / c.energy());
        if (x.testSnn != null) {
            o.printf(Locale.ROOT, "test (%s): ANN %.2f %%, SNN %.2f %% at %s ms%n", x.testDescription,
                    100 * x.testAnn.errorRate(), 100 * x.testSnn.errorRate(), Calibrator.ms(c.tpSteps(), r.dt));
        }
        o.printf(Locale.ROOT, "quantisation: %s%n", r.quantisation.note());
        o.printf(Locale.ROOT, "wrote %s and %s (%.1f s)%n", target, dir.resolve("report.md"), x.wallNanos / 1e9);
        return 0;
    }

}
