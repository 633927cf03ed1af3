package dev.lifvision.trainer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lifvision-train label}: review field captures in a terminal, one line per decision, or
 * apply a CSV of corrections. See {@link Captures} for what a decision does on disk.
 */
@Command(name = "label", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Review the node's field captures: confirm or correct each predicted label,",
                "or reject the frame (moved to _ignored). Files move between class folders;",
                "nothing is deleted; every decision is appended to CAPTURES/labels.jsonl,",
                "so a review can stop at any time and continue later, and be undone.",
                "Captures moved between class folders by hand count as labelled.", "",
                "Keys (type, then Enter): Enter = accept the prediction, LABEL = the true label",
                "(+LABEL for a new class or a label that looks like a key), s = skip,",
                "u = undo the last decision, x = reject, p = path, top scores and preview",
                "again, q = quit.", "",
                "Examples:", "  lifvision-train label --captures captures",
                "  lifvision-train label --captures captures --csv corrections.csv"})
public final class LabelCommand implements Callable<Integer> {
    @Option(names = "--captures", required = true, paramLabel = "DIR", description = "The node's capture folder.")
    Path captures;

    @Option(names = "--csv", paramLabel = "FILE", description = {"Apply corrections from a CSV of file,label (file as",
            "in index.jsonl, or its name; label _ignored rejects) instead of asking."})
    Path csv;

    @Option(names = "--preview", negatable = true, description = {"Draw each capture as text (default: on when",
            "stdin is a terminal)."})
    Boolean preview;

    @Option(names = "--viewer", paramLabel = "CMD", description = "Also open each capture with CMD FILE (e.g. feh, xdg-open).")
    String viewer;

    @Option(names = "--all", description = "Review labelled captures again too (not only the pending ones).")
    boolean all;

    @Override
    public Integer call() throws Exception {
        Captures c = Captures.open(captures);
        PrintStream out = System.out;
        int hand = c.recordHandMoves();
        if (hand > 0) {
            out.printf(Locale.ROOT, "%d capture(s) were moved between folders by hand: counted as labelled (logged in %s)%n",
                    hand, Captures.LABELS);
        }
        if (c.skippedIndexLines() > 0) {
            out.printf(Locale.ROOT, "%d index line(s) did not parse and were skipped%n", c.skippedIndexLines());
        }
        int rc = csv != null ? applyCsv(c, csv, out) : review(c, new BufferedReader(new InputStreamReader(System.in,
                StandardCharsets.UTF_8)), out, preview != null ? preview : System.console() != null);
        summary(Captures.open(captures), out);
        return rc;
    }

    static void summary(Captures c, PrintStream out) throws IOException {
        Map<Captures.State, Integer> n = c.counts();
        out.printf(Locale.ROOT, "%s: %d captures in the index: %d labelled, %d moved by hand, %d pending, %d gone%n",
                c.dir(), c.entries().size(), n.get(Captures.State.DECIDED), n.get(Captures.State.MOVED_BY_HAND),
                n.get(Captures.State.PENDING), n.get(Captures.State.MISSING));
        StringBuilder per = new StringBuilder();
        try (var s = Files.list(c.dir())) {
            for (Path d : (Iterable<Path>) s.sorted()::iterator) {
                if (Files.isDirectory(d) && !d.getFileName().toString().startsWith(".")) {
                    long k;
                    try (var f = Files.list(d)) {
                        k = f.filter(p -> Captures.isImage(p.getFileName().toString())).count();
                    }
                    per.append(per.length() == 0 ? "" : ", ").append(d.getFileName()).append(' ').append(k);
                }
            }
        }
        out.println("folders: " + per + " (unknown and _ignored are not used for training)");
    }

    /** Applies {@code file,label} rows; returns 1 when a row could not be applied, else 0. */
    static int applyCsv(Captures c, Path file, PrintStream out) throws IOException {
        int accepted = 0, corrected = 0, rejected = 0, unchanged = 0, problems = 0, row = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            row++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            String f = unquote(comma < 0 ? line : line.substring(0, comma));
            String label = unquote(comma < 0 ? "" : line.substring(comma + 1));
            if (row == 1 && label.equalsIgnoreCase("label")) {
                continue; // header
            }
            Captures.Entry e = c.find(f);
            if (e == null) {
                out.printf(Locale.ROOT, "%s:%d: %s is not in the capture index%n", file, row, f);
                problems++;
                continue;
            }
            Captures.State st = c.state(e);
            if (st == Captures.State.MISSING) {
                out.printf(Locale.ROOT, "%s:%d: %s is gone (removed by the capture quota?)%n", file, row, f);
                problems++;
                continue;
            }
            boolean reject = label.equals(Captures.IGNORED) || label.equals("x");
            String now = c.currentLabel(e);
            if ((reject && now.equals(Captures.IGNORED)) || (!reject && now.equals(label) && st != Captures.State.PENDING)) {
                unchanged++;
                continue;
            }
            try {
                if (reject) {
                    c.reject(e);
                    rejected++;
                } else if (now.equals(label)) {
                    c.accept(e);
                    accepted++;
                } else {
                    c.correct(e, label);
                    corrected++;
                }
            } catch (IllegalArgumentException bad) {
                out.printf(Locale.ROOT, "%s:%d: %s%n", file, row, bad.getMessage());
                problems++;
            }
        }
        out.printf(Locale.ROOT, "%s: %d accepted, %d corrected, %d rejected, %d already so, %d problem(s)%n", file,
                accepted, corrected, rejected, unchanged, problems);
        return problems > 0 ? 1 : 0;
    }

    private static String unquote(String s) {
        s = s.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1).replace("\"\"", "\"");
        }
        return s;
    }

    int review(Captures c, BufferedReader in, PrintStream out, boolean drawPreview) throws IOException {
        List<Captures.Entry> queue = new ArrayList<>();
        for (Captures.Entry e : c.entries()) {
            Captures.State st = c.state(e);
            if (st == Captures.State.PENDING || (all && st != Captures.State.MISSING)) {
                queue.add(e);
            }
        }
        out.printf(Locale.ROOT, "%d capture(s) to review in %s; Enter = accept, LABEL = correct, s = skip, u = undo, "
                + "x = reject, p = show again, q = quit%n", queue.size(), c.dir());
        int accepted = 0, corrected = 0, rejected = 0, skipped = 0, undone = 0;
        int i = 0;
        boolean show = true;
        while (i < queue.size()) {
            Captures.Entry e = queue.get(i);
            if (c.state(e) == Captures.State.MISSING) {
                i++;
                continue;
            }
            if (show) {
                describe(c, e, out, i, queue.size(), drawPreview, false);
            }
            show = true;
            out.print("> ");
            out.flush();
            String line = in.readLine();
            if (line == null) {
                out.println();
                break;
            }
            String cmd = line.strip();
            try {
                switch (cmd) {
                    case "" -> {
                        c.accept(e);
                        accepted++;
                        i++;
                    }
                    case "s" -> {
                        skipped++;
                        i++;
                    }
                    case "x" -> {
                        c.reject(e);
                        out.println("  rejected: moved to " + Captures.IGNORED + "/");
                        rejected++;
                        i++;
                    }
                    case "u" -> {
                        Captures.Decision d = c.undo();
                        if (d == null) {
                            out.println("  nothing to undo");
                            show = false;
                        } else {
                            out.printf(Locale.ROOT, "  undone: %s of %s%n", d.action(), d.id());
                            undone++;
                            Captures.Entry back = c.find(d.id());
                            if (back != null) {
                                int at = queue.indexOf(back);
                                if (at >= 0) {
                                    queue.remove(at);
                                    if (at < i) {
                                        i--;
                                    }
                                }
                                queue.add(i, back);
                            }
                        }
                    }
                    case "p" -> {
                        describe(c, e, out, i, queue.size(), true, true);
                        show = false;
                    }
                    case "q" -> i = queue.size() + 1;
                    case "?", "h", "help" -> {
                        out.println("  Enter = accept, LABEL = correct (+LABEL: new class), s = skip, u = undo, "
                                + "x = reject to _ignored, p = show again, q = quit");
                        show = false;
                    }
                    default -> {
                        boolean forced = cmd.startsWith("+");
                        String label = forced ? cmd.substring(1).strip() : cmd;
                        String problem = Captures.checkLabel(label);
                        if (problem != null) {
                            out.println("  " + problem);
                            show = false;
                        } else if (!forced && !c.knownLabels().contains(label)) {
                            out.printf(Locale.ROOT, "  '%s' is not a known label (%s); type +%s to create a new class%n",
                                    label, String.join(" ", c.knownLabels()), label);
                            show = false;
                        } else {
                            Captures.Decision d = c.correct(e, label);
                            if (d.action().equals("accept")) {
                                accepted++;
                            } else {
                                out.println("  moved to " + d.to());
                                corrected++;
                            }
                            i++;
                        }
                    }
                }
            } catch (IOException ex) {
                out.println("  " + ex.getMessage());
                i++;
            }
        }
        out.printf(Locale.ROOT, "this session: %d accepted, %d corrected, %d rejected, %d skipped, %d undone%n",
                accepted, corrected, rejected, skipped, undone);
        return 0;
    }

    private void describe(Captures c, Captures.Entry e, PrintStream out, int i, int n, boolean drawPreview,
                          boolean absolute) {
        String loc = c.location(e);
        Path file = c.dir().resolve(loc);
        StringBuilder top = new StringBuilder();
        if (!Double.isNaN(e.score())) {
            top.append(String.format(Locale.ROOT, " (score %.2f", e.score()));
            if (e.top().size() > 1) {
                top.append("; next ").append(String.join(", ", e.top().subList(1, e.top().size())));
            }
            top.append(')');
        }
        out.printf(Locale.ROOT, "[%d/%d] %s  predicted %s%s%n", i + 1, n, absolute ? file.toAbsolutePath() : loc,
                e.predicted(), top);
        if (drawPreview) {
            try {
                out.print(ascii(file, 48));
            } catch (IOException ex) {
                out.println("  (no preview: " + ex.getMessage() + ")");
            }
        }
        if (viewer != null && !viewer.isBlank()) {
            try {
                List<String> cmd = new ArrayList<>(List.of(viewer.strip().split("\\s+")));
                cmd.add(file.toAbsolutePath().toString());
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException ex) {
                out.println("  (viewer failed: " + ex.getMessage() + ")");
            }
        }
    }

    /** The image as text, {@code cols} characters wide (brightness ramp; characters are about twice as tall as wide). */
    static String ascii(Path file, int cols) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("not an image");
        }
        String ramp = " .:-=+*#%@";
        int rows = Math.max(1, (int) Math.round(cols * img.getHeight() / (2.0 * img.getWidth())));
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            b.append("  ");
            for (int k = 0; k < cols; k++) {
                int x0 = k * img.getWidth() / cols, x1 = Math.max(x0 + 1, (k + 1) * img.getWidth() / cols);
                int y0 = r * img.getHeight() / rows, y1 = Math.max(y0 + 1, (r + 1) * img.getHeight() / rows);
                double sum = 0;
                int cnt = 0;
                for (int y = y0; y < y1; y += 2) {
                    for (int x = x0; x < x1; x += 2) {
                        int v = img.getRGB(x, y);
                        sum += 0.299 * (v >> 16 & 0xff) + 0.587 * (v >> 8 & 0xff) + 0.114 * (v & 0xff);
                        cnt++;
                    }
                }
                b.append(ramp.charAt((int) Math.min(ramp.length() - 1, sum / cnt / 256 * ramp.length())));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
