package dev.lifvision.trainer;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.data.ImageSet;
import dev.lifvision.encode.InputCoding;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.eval.EvalResult;
import dev.lifvision.eval.Evaluator;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The before/after table of a fine-tuning run: error of the base and of the new bundle, each run
 * by the node's own backends ({@code rate}: the ANN with the bundle's neurons; {@code spiking}: the
 * spiking network with the bundle's simulation settings and constant-current input, as the node
 * runs it by default), on the held-out captures and on the original test set, so that both the gain
 * on the new domain and any forgetting are visible. Both models see the same images: a fixed
 * random subset (seed 1, as {@code lifvision eval --limit}) when a set is larger than the limit.
 */
public final class FinetuneReport {
    /** One labelled set to measure. */
    public record Named(String name, ImageSet set) {
    }

    /** Errors in [0, 1]; NaN where the model cannot be scored on the set (labels that do not match). */
    public record Row(String set, String backend, int images, double before, double after, String note) {
        public double change() {
            return after - before;
        }
    }

    private FinetuneReport() {
    }

    public static List<Row> measure(Bundle base, Bundle tuned, List<Named> sets, int rateLimit, int spikingLimit,
                                    int threads, PrintWriter log) throws InterruptedException {
        List<Row> rows = new ArrayList<>();
        for (Named n : sets) {
            ImageSet shuffled = n.set().shuffled(1);
            for (String backend : List.of("rate", "spiking")) {
                int limit = backend.equals("rate") ? rateLimit : spikingLimit;
                if (limit <= 0) {
                    continue;
                }
                ImageSet s = shuffled.limit(limit);
                long t0 = System.nanoTime();
                double before = error(base, s, backend, threads);
                double after = error(tuned, s, backend, threads);
                String note = Double.isNaN(before) ? "base model has other labels" : "";
                rows.add(new Row(n.name(), backend, s.size(), before, after, note));
                if (log != null) {
                    log.printf(Locale.ROOT, "measured %s, %s backend, %d images: %s -> %s (%.0f s)%n", n.name(), backend,
                            s.size(), pct(before), pct(after), (System.nanoTime() - t0) / 1e9);
                    log.flush();
                }
            }
        }
        return rows;
    }

    /** Error of {@code bundle} on {@code set} with the node's backend, NaN when the labels do not match. */
    public static double error(Bundle bundle, ImageSet set, String backend, int threads) throws InterruptedException {
        Network net = Network.of(bundle);
        int[] map;
        try {
            map = Evaluator.labelMap(set.classNames(), net.labels());
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
        SimOptions opt = SimOptions.of(bundle.manifest().simulation()).withCoding(InputCoding.parse("current"), 250)
                .withSeed(1);
        EvalResult r = new Evaluator(net, backend, opt, () -> Preprocessor.of(bundle)).run(set, map, threads, null);
        return r.errorRate();
    }

    static String pct(double e) {
        return Double.isNaN(e) ? "n/a" : String.format(Locale.ROOT, "%.2f %%", 100 * e);
    }

    public static String markdown(String title, List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("## ").append(title).append("\n\n");
        b.append("| set | backend | images | error before | error after | change |\n");
        b.append("|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            String change = Double.isNaN(r.change()) ? "n/a"
                    : String.format(Locale.ROOT, "%+.2f points", 100 * r.change());
            b.append("| ").append(r.set()).append(" | ").append(r.backend()).append(" | ").append(r.images())
                    .append(" | ").append(pct(r.before())).append(" | ").append(pct(r.after())).append(" | ")
                    .append(change).append(r.note().isEmpty() ? "" : " (" + r.note() + ")").append(" |\n");
        }
        return b.toString();
    }

    public static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder("set,backend,images,error_before,error_after\n");
        for (Row r : rows) {
            b.append('"').append(r.set().replace("\"", "'")).append("\",").append(r.backend()).append(',')
                    .append(r.images()).append(',').append(String.format(Locale.ROOT, "%.6f,%.6f", r.before(), r.after()))
                    .append('\n');
        }
        return b.toString();
    }

    /** A plain-text version for the terminal. */
    public static String text(List<Row> rows) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-44s %-8s %7s %12s %12s %14s%n", "set", "backend",
                "images", "error before", "error after", "change"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-44s %-8s %7d %12s %12s %14s%n",
                    r.set().length() > 44 ? r.set().substring(0, 41) + "..." : r.set(), r.backend(), r.images(),
                    pct(r.before()), pct(r.after()), Double.isNaN(r.change()) ? "n/a"
                            : String.format(Locale.ROOT, "%+.2f points", 100 * r.change())));
        }
        return b.toString();
    }

    public static void write(Path mdFile, Path csvFile, String title, String preamble, List<Row> rows) throws IOException {
        Files.writeString(mdFile, "# " + title + "\n\n" + preamble + "\n\n" + markdown("Before / after", rows));
        Files.writeString(csvFile, csv(rows));
    }
}
