package dev.lifvision.calibration;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.eval.EvalResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes report.md, curves.csv and the PNG plots of a calibration run. */
final class ReportWriter {
    /** What the command measured beyond the calibrator itself. */
    static final class Extras {
        String command;
        String warning;
        Path bundlePath;
        /** The calibrated bundle evaluated by the node's Evaluator on the calibration images. */
        EvalResult verifySnn, verifyAnn;
        /** Test split, if requested: ANN of the input, and the calibrated bundle's ANN and SNN. */
        String testDescription;
        EvalResult testAnn, testAnnCalibrated, testSnn;
        long testNanos;
        long wallNanos;
    }

    private ReportWriter() {
    }

    static String pct(double f) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * f);
    }

    static void write(Path dir, Calibrator.Result r, Extras x) throws IOException {
        Files.createDirectories(dir);
        writeCsv(dir.resolve("curves.csv"), r);
        List<String> figures = plots(dir, r);
        try (PrintWriter o = new PrintWriter(Files.newBufferedWriter(dir.resolve("report.md"), StandardCharsets.UTF_8))) {
            markdown(o, r, x, figures);
        }
    }

    private static void writeCsv(Path file, Calibrator.Result r) throws IOException {
        try (PrintWriter o = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            o.println("variant,synapse,t_c_ms,t_p_ms,images,errors,error,ann_error,disagree_with_ann,"
                    + "synaptic_events_per_image,neuron_updates_per_image,snn_flop_equivalents,ann_flops,efficiency_ratio");
            for (int v = 0; v < r.curves.size(); v++) {
                Curves c = r.curves.get(v);
                Measurement m = c.m;
                long ann = m.net.annFlops();
                for (int s = 0; s < m.synapses.size(); s++) {
                    for (int p = 0; p < c.tp.length; p++) {
                        for (int a = 0; a < c.tc.length; a++) {
                            if (c.errors[s][a][p] < 0) {
                                continue;
                            }
                            double e = c.energy(s, p);
                            o.printf(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%.6f,%.6f,%d,%.1f,%d,%.1f,%d,%.4f%n",
                                    r.variantNames.get(v), m.synapses.get(s), Calibrator.ms(c.tc[a], r.dt),
                                    Calibrator.ms(c.tp[p], r.dt), m.images(), c.errors[s][a][p], c.error(s, a, p),
                                    c.annError(), c.disagree[s][a][p], c.meanEvents[s][p], c.neuronUpdates(c.tp[p]), e,
                                    ann, ann / e);
                        }
                    }
                }
            }
        }
    }

    /** Best error over t_c for each t_p: [p] -> {errors, tc index}. */
    static int[][] bestOverTc(Curves c, int s) {
        int[][] best = new int[c.tp.length][];
        for (int p = 0; p < c.tp.length; p++) {
            for (int a = 0; a < c.tc.length; a++) {
                int e = c.errors[s][a][p];
                if (e >= 0 && (best[p] == null || e < best[p][0])) {
                    best[p] = new int[]{e, a};
                }
            }
        }
        return best;
    }

    private static List<String> plots(Path dir, Calibrator.Result r) throws IOException {
        List<String> files = new ArrayList<>();
        // error vs t_p per synapse (best t_c), both variants
        List<Charts.Line> lines = new ArrayList<>();
        double[] xs = null;
        for (int v = 0; v < r.curves.size(); v++) {
            Curves c = r.curves.get(v);
            xs = new double[c.tp.length];
            for (int p = 0; p < c.tp.length; p++) {
                xs[p] = c.tp[p] * r.dt * 1000;
            }
            for (int s = 0; s < c.m.synapses.size(); s++) {
                int[][] best = bestOverTc(c, s);
                double[] ys = new double[c.tp.length];
                for (int p = 0; p < ys.length; p++) {
                    ys[p] = best[p] == null ? Double.NaN : 100.0 * best[p][0] / c.m.images();
                }
                lines.add(new Charts.Line(c.m.synapses.get(s) + (v == 0 ? "" : " (" + r.variantNames.get(v) + ")"),
                        xs, ys, v > 0));
            }
        }
        double ann = 100 * r.annError();
        lines.add(new Charts.Line(String.format(Locale.ROOT, "ANN %.2f %%", ann), new double[]{xs[0], xs[xs.length - 1]},
                new double[]{ann, ann}, true));
        double tgt = 100 * r.target();
        lines.add(new Charts.Line(String.format(Locale.ROOT, "ANN + tolerance %.2f %%", tgt),
                new double[]{xs[0], xs[xs.length - 1]}, new double[]{tgt, tgt}, true));
        Charts.lines(dir.resolve("error-vs-time.png"), "SNN error vs presentation time (best readout start per point), "
                        + r.images() + " calibration images", "presentation time t_p (ms)", "error (%)", lines, true,
                0.05);
        files.add("error-vs-time.png");
        // rate histograms per layer
        Measurement m0 = r.measurements.get(0);
        for (int k = 0; k < m0.snnRates.layers; k++) {
            List<String> names = new ArrayList<>();
            List<double[]> fr = new ArrayList<>();
            names.add("SNN measured (" + m0.synapses.get(0) + ", " + Calibrator.ms(m0.maxSteps, r.dt) + " ms)");
            fr.add(binned(m0.snnRates, k, 5));
            names.add("ANN rate r(j)");
            fr.add(binned(m0.annRates, k, 5));
            String f = "rates-" + safe(m0.snnRates.names[k]) + ".png";
            Charts.histogram(dir.resolve(f), "Firing rates, layer " + m0.snnRates.names[k] + " (original network)",
                    "rate (Hz, 5 Hz bins)", 5, names, fr);
            files.add(f);
        }
        if (r.chosen != null) {
            long[][][] conf = confusions(r);
            List<String> labels = r.input.manifest().labels();
            Charts.matrix(dir.resolve("confusion-ann.png"), "ANN confusion (" + pct(r.annError()) + " error)",
                    "true label", "ANN class", labels, conf[0]);
            Charts.matrix(dir.resolve("confusion-snn.png"), "SNN confusion at the chosen settings ("
                    + pct(r.chosen.error()) + " error)", "true label", "SNN class", labels, conf[1]);
            Charts.matrix(dir.resolve("confusion-ann-vs-snn.png"), "ANN class vs SNN class (chosen settings)",
                    "ANN class", "SNN class", labels, conf[2]);
            files.add("confusion-ann.png");
            files.add("confusion-snn.png");
            files.add("confusion-ann-vs-snn.png");
            EarlyDecision e = r.early;
            double[] t = new double[e.finalBy.length], y = new double[e.finalBy.length];
            for (int k = 0; k < t.length; k++) {
                t[k] = (e.first + k + 1) * r.dt * 1000;
                y[k] = 100.0 * e.finalBy[k] / e.images;
            }
            Charts.lines(dir.resolve("early-decision.png"), "Images whose running class is already final",
                    "time since onset (ms)", "% of images", List.of(new Charts.Line("final from here on", t, y, false)),
                    false, 0);
            files.add("early-decision.png");
        }
        return files;
    }

    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    static double[] binned(RateStats st, int k, int width) {
        long[] h = st.hist[k];
        int bins = (h.length + width - 1) / width;
        double[] f = new double[bins];
        for (int b = 0; b < h.length; b++) {
            f[b / width] += h[b];
        }
        for (int b = 0; b < bins; b++) {
            f[b] /= Math.max(1, st.samples[k]);
        }
        return f;
    }

    /** [0] true x ANN, [1] true x SNN (chosen), [2] ANN x SNN. */
    static long[][][] confusions(Calibrator.Result r) {
        Calibrator.Choice c = r.chosen;
        Measurement m = r.measurements.get(c.variant());
        Measurement m0 = r.measurements.get(0);
        int n = m.nOut;
        long[][][] out = new long[3][n][n];
        for (int i = 0; i < m.images(); i++) {
            int snn = Curves.predict(m, c.synapse(), i, c.tcSteps(), c.tpSteps() - 1);
            out[0][m0.labels[i]][m0.annPred[i]]++;
            out[1][m.labels[i]][snn]++;
            out[2][m0.annPred[i]][snn]++;
        }
        return out;
    }

    private static void markdown(PrintWriter o, Calibrator.Result r, Extras x, List<String> figures) {
        Bundle in = r.input;
        int n = r.images();
        Locale L = Locale.ROOT;
        o.printf(L, "# Calibration report: %s%n%n", in.manifest().name());
        o.printf(L, "- input model: `%s` (model hash %s)%n", in.manifest().name(), in.sha256());
        o.printf(L, "- calibration set: %s%n", r.calibrationSetDescription);
        if (x.warning != null) {
            o.printf(L, "- **warning:** %s%n", x.warning);
        }
        if (r.inputDefaultsNote != null) {
            o.printf(L, "- note: %s%n", r.inputDefaultsNote);
        }
        o.printf(L, "- command: `%s`%n", x.command);
        o.printf(L, "- duration: %.1f s in total (%.1f s measuring, %d threads)%n", x.wallNanos / 1e9,
                r.measureNanos / 1e9, r.settings.threads());
        int[] tpGrid = r.curves.get(0).tp;
        o.printf(L, "- swept: synapses %s; t_p %s..%s ms in %d ms steps; t_c from 0 in %d ms steps below t_p; "
                        + "one %s ms run per image and setting (reset mode, dt %s ms)%n",
                r.measurements.get(0).synapses, Calibrator.ms(tpGrid[0], r.dt),
                Calibrator.ms(tpGrid[tpGrid.length - 1], r.dt), r.settings.tpStepMs(), r.settings.tcStepMs(),
                Calibrator.ms(r.measurements.get(0).maxSteps, r.dt), Calibrator.ms(1, r.dt));
        o.printf(L, "- criterion: SNN error <= ANN error %s + tolerance %s = %s, and the excess over the ANN plus %.1f "
                + "standard errors (sqrt(images where SNN and ANN disagree) / n) within the tolerance, at t_p and at the "
                + "next grid t_p (same synapse and t_c); the shortest such t_p wins, then the lowest error, then the "
                + "lowest energy%n%n",
                pct(r.annError()), pct(r.settings.tolerance()), pct(r.target()), r.settings.marginSigmas());

        o.println("## Result");
        o.println();
        if (r.chosen == null || r.failure != null) {
            o.printf(L, "**No bundle written:** %s.%n%n", r.failure);
        }
        if (r.chosen != null) {
            Calibrator.Choice c = r.chosen;
            Measurement m = r.measurements.get(c.variant());
            o.printf(L, "Chosen: **%s**%n%n", r.describe(c));
            if (x.bundlePath != null && r.failure == null) {
                o.printf(L, "Written to `%s` with `simulation` = synapse %s, presentation %s s, readout [%s, %s] s.%n%n",
                        x.bundlePath, m.synapses.get(c.synapse()), Calibrator.seconds(c.tpSteps(), r.dt),
                        Calibrator.seconds(c.tcSteps(), r.dt), Calibrator.seconds(c.tpSteps(), r.dt));
            }
            // the paper's figures for the dataset the model was trained on (Hunsberger & Eliasmith)
            String arch = in.manifest().provenance() == null ? "" : in.manifest().provenance().path("architecture").asText();
            boolean cifar = arch.startsWith("cifar10") || in.manifest().labels().contains("airplane");
            String paper = cifar ? "16.63 %% at 80 ms, 17.34 %% at 60 ms (test set)" : "0.92 %% at 100 ms, 1.14 %% at 60 ms (test set)";
            o.printf(L, "| | ANN | SNN (chosen) | input's defaults | paper (%s SNN) |%n", cifar ? "CIFAR-10" : "MNIST");
            o.println("|---|---|---|---|---|");
            var sim = in.manifest().simulation();
            o.printf(L, "| calibration set, %d images | %s | %s at %s ms | %s (%s, %s ms, readout from %s ms) | " + paper + " |%n",
                    n, pct(r.annError()), pct(c.error()), Calibrator.ms(c.tpSteps(), r.dt),
                    pct((double) r.inputDefaultErrors / n), sim.synapse(), fmtMs(sim.presentation()),
                    fmtMs(sim.readoutStart()));
            if (x.testSnn != null) {
                o.printf(L, "| %s | %s%s | %s at %s ms | | |%n", x.testDescription, pct(x.testAnn.errorRate()),
                        x.testAnnCalibrated != null ? " (rate-scaled ANN " + pct(x.testAnnCalibrated.errorRate()) + ")" : "",
                        pct(x.testSnn.errorRate()), Calibrator.ms(c.tpSteps(), r.dt));
            }
            o.println();
            confirmation(o, r);
            if (x.verifySnn != null) {
                boolean same = x.verifySnn.errors == c.errors();
                o.printf(L, "Check: the written bundle, run by the node's Evaluator at its new defaults on the same %d "
                                + "images, gives %d errors (%s) - %s the %d computed from the sweep traces.%n%n",
                        x.verifySnn.frames, x.verifySnn.errors, pct(x.verifySnn.errorRate()),
                        same ? "identical to" : "**differs from**", c.errors());
            }
        }

        if (r.chosen == null && r.confirmation != null) {
            confirmation(o, r);
        }
        o.println("## Firing rates per layer (calibration set)");
        o.println();
        Measurement m0 = r.measurements.get(0);
        RateStats ann = m0.annRates, snn = m0.snnRates;
        double window = r.chosen == null ? 0.1 : (r.chosen.tpSteps() - r.chosen.tcSteps()) * r.dt;
        o.printf(L, "SNN rates: spikes per neuron in a %s ms presentation (synapse %s) per image; ANN rates: the layer's "
                        + "rate curve r(j) = activation / amplitude. Silent: below 1 Hz. Saturated: at or above %.0f %% of "
                        + "1/tau_ref. Flags: LOW when the median firing neuron sends fewer than 3 spikes in the chosen "
                        + "readout window (%s ms), SILENT when more than 95 %% of samples are silent, SATURATING when more "
                        + "than 5 %% are saturated.%n%n",
                Calibrator.ms(m0.maxSteps, r.dt), m0.synapses.get(0), 100 * RateStats.SATURATION,
                fmtMs(window));
        o.println("| layer | neurons | ANN mean Hz | SNN mean Hz | SNN p50 | SNN p99 | SNN max | p50 of firing | silent | never fire | saturated | 1/tau_ref | flags |");
        o.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int k = 0; k < snn.layers; k++) {
            List<String> flags = new ArrayList<>();
            if (snn.lif[k]) {
                if (snn.activeQuantile(k, 0.5) * window < 3) {
                    flags.add("LOW");
                }
                if (snn.silent(k) > 0.95) {
                    flags.add("SILENT");
                }
                if (snn.saturated(k) > 0.05) {
                    flags.add("SATURATING");
                }
            }
            o.printf(L, "| %s | %d | %.1f | %.1f | %.0f | %.0f | %.0f | %.0f | %s | %s | %s | %.0f | %s |%n",
                    snn.names[k], snn.sizes[k], ann.mean(k), snn.mean(k), snn.quantile(k, 0.5), snn.quantile(k, 0.99),
                    snn.max[k], snn.activeQuantile(k, 0.5), pct(snn.silent(k)), pct(snn.dead(k)), pct(snn.saturated(k)),
                    snn.maxPossible[k], flags.isEmpty() ? "ok" : String.join(", ", flags));
        }
        o.println();

        o.println("## Error against presentation time");
        o.println();
        o.println("Best readout start t_c per cell (in brackets, ms). Full grid: `curves.csv`.");
        o.println();
        for (int v = 0; v < r.curves.size(); v++) {
            Curves c = r.curves.get(v);
            o.printf(L, "### %s network (ANN error %s)%n%n", r.variantNames.get(v), pct(c.annError()));
            StringBuilder head = new StringBuilder("| t_p ms |");
            StringBuilder sep = new StringBuilder("|---|");
            for (var s : c.m.synapses) {
                head.append(' ').append(s).append(" |");
                sep.append("---|");
            }
            o.println(head);
            o.println(sep);
            List<int[][]> best = new ArrayList<>();
            for (int s = 0; s < c.m.synapses.size(); s++) {
                best.add(bestOverTc(c, s));
            }
            for (int p = 0; p < c.tp.length; p++) {
                int tpMs = (int) Math.round(c.tp[p] * r.dt * 1000);
                if (c.tp.length > 12 && !(tpMs <= 100 || tpMs % 50 == 0 || p == c.tp.length - 1)) {
                    continue;
                }
                StringBuilder row = new StringBuilder("| " + Calibrator.ms(c.tp[p], r.dt) + " |");
                for (int s = 0; s < c.m.synapses.size(); s++) {
                    int[] b = best.get(s)[p];
                    boolean isChosen = r.chosen != null && r.chosen.variant() == v && r.chosen.synapse() == s
                            && r.chosen.tpIndex() == p;
                    row.append(String.format(L, " %s%.2f (%s)%s |", isChosen ? "**" : "", 100.0 * b[0] / c.m.images(),
                            Calibrator.ms(c.tc[b[1]], r.dt), isChosen ? "**" : ""));
                }
                o.println(row);
            }
            o.println();
        }

        o.println("## Rate scaling (data-based normalisation)");
        o.println();
        if (r.scaleFactors == null) {
            o.println("Not run (--no-rate-scaling).");
        } else if (r.curves.size() < 2) {
            o.println("No layer needed scaling (every factor within 10 % of 1).");
        } else {
            o.printf(L, "Per LIF layer: gain x lambda and amplitude / lambda with lambda = %.2f x (1/tau_ref) / "
                    + "(p99 firing rate of the ANN), clipped to [1/%.1f, %.1f].%n%n", r.settings.targetRateFraction(),
                    r.settings.maxScale(), r.settings.maxScale());
            o.println("| layer | ANN p99 firing Hz | lambda | SNN mean Hz before | after |");
            o.println("|---|---|---|---|---|");
            Measurement m1 = r.measurements.get(1);
            for (int k = 0; k < r.scaleFactors.length; k++) {
                o.printf(L, "| %s | %.0f | %.2f | %.1f | %.1f |%n", ann.names[k], ann.activeQuantile(k, 0.99),
                        r.scaleFactors[k], snn.mean(k), m1.snnRates.mean(k));
            }
            o.println();
            o.println("| network | ANN error | shortest t_p within tolerance | setting |");
            o.println("|---|---|---|---|");
            for (int v = 0; v < r.curves.size(); v++) {
                Calibrator.Choice b = r.bestPerVariant[v];
                o.printf(L, "| %s | %s | %s | %s |%n", r.variantNames.get(v), pct(r.curves.get(v).annError()),
                        b == null ? "none" : Calibrator.ms(b.tpSteps(), r.dt) + " ms", b == null ? "-" : r.describe(b));
            }
            o.println();
            o.printf(L, "Used: %s.%n%n", r.chosen == null ? "-" : r.chosen.variant() == 1 ? "yes (shorter)" : "no");
        }

        o.println("## Energy (Hunsberger & Eliasmith 2016 model)");
        o.println();
        o.println("SNN: 0.08 FLOP-equivalents per synaptic event + 0.25 per neuron update per step (measured counts, "
                + "mean per image); ANN: 2 FLOPs per connection + 1 per neuron. Paper (MNIST): 5.9x-14.4x.");
        o.println();
        o.println("| setting | t_p ms | error | synaptic events | neuron updates | SNN FLOP-eq | ANN FLOPs | ANN / SNN |");
        o.println("|---|---|---|---|---|---|---|---|");
        if (r.chosen != null) {
            Calibrator.Choice c = r.chosen;
            Curves cv = r.curves.get(c.variant());
            energyRow(o, r, "**chosen** " + cv.m.synapses.get(c.synapse()), cv, c.synapse(), c.tpIndex(), c.error());
            for (int p = 0; p < cv.tp.length; p++) {
                int tpMs = (int) Math.round(cv.tp[p] * r.dt * 1000);
                if (p != c.tpIndex() && (tpMs == 60 || tpMs == 100 || p == cv.tp.length - 1)) {
                    int[] b = bestOverTc(cv, c.synapse())[p];
                    energyRow(o, r, cv.m.synapses.get(c.synapse()).toString(), cv, c.synapse(), p,
                            (double) b[0] / cv.m.images());
                }
            }
        }
        o.println();

        o.println("## Early decision");
        o.println();
        if (r.early == null) {
            o.println("Not analysed (no setting chosen).");
        } else {
            EarlyDecision e = r.early;
            o.printf(L, "At the chosen settings the running readout (mean since t_c) gives a class at every step. "
                    + "Images whose class is already final (unchanged up to t_p):%n%n");
            o.println("| time since onset, ms | already final |");
            o.println("|---|---|");
            int len = e.finalBy.length;
            for (int q = 1; q <= 10; q++) {
                int k = Math.max(0, (int) Math.round(q * len / 10.0) - 1);
                o.printf(L, "| %s | %s |%n", Calibrator.ms(e.first + k + 1, r.dt), pct((double) e.finalBy[k] / e.images));
            }
            o.println();
            o.printf(L, "Margin-based stopping (median final margin %.4g; decide when top - second >= margin, at least "
                    + "min steps into the window, else at t_p; full-presentation error %s):%n%n", e.medianMargin,
                    pct((double) e.fullErrors / e.images));
            o.println("| margin (x median) | min steps | mean decision time ms | time saved | error | agrees with full |");
            o.println("|---|---|---|---|---|---|");
            for (EarlyDecision.Rule rule : e.rules) {
                if (rule.minSteps() != 1 && rule.minSteps() != 10 && rule != e.recommended) {
                    continue;
                }
                boolean rec = rule == e.recommended;
                o.printf(L, "| %s%.4g (%.2f)%s | %d | %.1f | %s | %s | %s |%n", rec ? "**" : "", rule.margin(),
                        rule.marginRelative(), rec ? "**" : "", rule.minSteps(), rule.meanSteps() * r.dt * 1000,
                        pct(1 - rule.meanSteps() / r.chosen.tpSteps()), pct((double) rule.errors() / e.images),
                        pct((double) rule.agree() / e.images));
            }
            o.println();
            o.printf(L, "A rule qualifies when its errors plus %.1f x sqrt(images whose answer it changes) do not exceed the "
                    + "full presentation's %d; the fastest qualifying rule is recommended.%n%n", r.settings.marginSigmas(),
                    e.fullErrors);
            if (e.recommended != null) {
                EarlyDecision.Rule rule = e.recommended;
                o.printf(L, "Recommended (stored in `calibration.confidence_rule`): margin %.4g, at least %d steps into "
                                + "the readout window: mean decision at %.1f ms instead of %s ms (%s saved), error %s.%n%n",
                        rule.margin(), rule.minSteps(), rule.meanSteps() * r.dt * 1000,
                        Calibrator.ms(r.chosen.tpSteps(), r.dt), pct(1 - rule.meanSteps() / r.chosen.tpSteps()),
                        pct((double) rule.errors() / e.images));
            } else {
                o.println("No margin rule qualifies: none recommended (the node runs full presentations).");
                o.println();
            }
        }

        o.println("## Quantisation for the hardware emulator");
        o.println();
        o.println(r.quantisation.note() + ".");
        o.println();

        o.println("## Figures");
        o.println();
        o.println("- `curves.csv`: error, disagreement with the ANN and energy for every variant, synapse, t_c and t_p");
        for (String f : figures) {
            o.printf(L, "- ![%s](%s)%n", f, f);
        }
    }

    private static void energyRow(PrintWriter o, Calibrator.Result r, String name, Curves cv, int s, int p, double err) {
        double e = cv.energy(s, p);
        long ann = cv.m.net.annFlops();
        o.printf(Locale.ROOT, "| %s | %s | %s | %.0f | %d | %.3g | %.3g | %.2fx |%n", name, Calibrator.ms(cv.tp[p], r.dt),
                pct(err), cv.meanEvents[s][p], cv.neuronUpdates(cv.tp[p]), e, (double) ann, ann / e);
    }

    static String fmtMs(double seconds) {
        double v = seconds * 1000;
        return Math.abs(v - Math.rint(v)) < 1e-6 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
    }


    /** The confirmation of the sweep's choice on further held-out images: one row per candidate tried. */
    private static void confirmation(PrintWriter o, Calibrator.Result r) {
        Locale L = Locale.ROOT;
        Calibrator.Confirmation cf = r.confirmation;
        if (cf == null) {
            return;
        }
        o.printf(L, "Confirmation on %d further held-out images (%s; ANN error there %s): the fastest candidates of the "
                        + "sweep, measured again. A candidate's own t_c and t_p are kept when they are within the "
                        + "tolerance there (a fixed point on fresh images needs no margin); otherwise t_c and t_p are "
                        + "chosen again there by the sweep's rule, margin included.%n%n", cf.images,
                cf.description, pct((double) cf.annErrors / cf.images));
        o.println("| candidate (sweep) | same setting on the confirmation images | taken |");
        o.println("|---|---|---|");
        for (Calibrator.Confirmation.Trial t : cf.tried) {
            String taken = t.held() ? "held" : t.confirmed() == null ? "missed; no other t_p meets the rule"
                    : "missed; re-chosen: " + r.describeOn(t.confirmed(), cf.images);
            o.printf(L, "| %s | %s | %s |%n", r.describe(t.candidate()),
                    t.samePoint().errors() < 0 ? "-" : r.describeOn(t.samePoint(), cf.images), taken);
        }
        o.println();
    }
}
