package dev.lifvision.report;

import dev.lifvision.report.Canvas.Frame;
import dev.lifvision.report.Plotting.Scale;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A PNG line plot without any dependency beyond the JDK, for learning curves (loss and accuracy per
 * epoch) and calibration sweeps (error rate vs presentation time).
 *
 * <pre>{@code
 * new LinePlot("MNIST", "epoch", "error %")
 *     .series("train", epochs, trainErr)
 *     .series("validation", epochs, valErr)
 *     .hline("paper 0.88 %", 0.88)
 *     .writePng(Path.of("runs/42/error.png"), 900, 560);
 * }</pre>
 *
 * <p>Series get colours from a fixed colour-blind-safe palette in the order they are added, plus a marker
 * shape each, so that they stay distinguishable in greyscale print too. Non-finite points (and, on a log
 * axis, points &lt;= 0) are left out and break the line: an epoch that was not evaluated shows as a gap
 * instead of a misleading straight segment. The plot is a builder: it can be rendered any number of times.
 */
public final class LinePlot {

    private record Series(String name, double[] x, double[] y) {
    }

    private record Ref(String name, double y) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Ref> refs = new ArrayList<>();
    private boolean yLog;
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title == null ? "" : title;
        this.xLabel = xLabel == null ? "" : xLabel;
        this.yLabel = yLabel == null ? "" : yLabel;
    }

    /** Adds a line with small markers. The arrays are copied, so the caller may keep filling its own. */
    public LinePlot series(String name, double[] x, double[] y) {
        Objects.requireNonNull(name, "series name");
        if (x == null || y == null) {
            throw new IllegalArgumentException("series '" + name + "': x and y must not be null");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': x has " + x.length
                    + " values but y has " + y.length + "; they must have the same length");
        }
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /** Log10 y axis; values &lt;= 0 cannot be placed and are skipped like NaN. */
    public LinePlot yLog(boolean log) {
        this.yLog = log;
        return this;
    }

    /**
     * Fixes the y range (otherwise: data range plus 5 %); data outside it is clipped at the frame. With
     * {@link #yLog} min must be &gt; 0, which is checked when rendering since the two may come in any order.
     */
    public LinePlot yRange(double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
            throw new IllegalArgumentException("yRange(" + min + ", " + max
                    + "): min and max must be finite with min < max");
        }
        this.yMin = min;
        this.yMax = max;
        return this;
    }

    /**
     * A dashed horizontal reference line, e.g. a published result, named in the legend. It counts towards
     * the automatic y range; on a log axis a reference at y &lt;= 0 has no place and is only listed.
     */
    public LinePlot hline(String name, double y) {
        Objects.requireNonNull(name, "hline name");
        if (!Double.isFinite(y)) {
            throw new IllegalArgumentException("hline '" + name + "': y must be finite, got " + y);
        }
        refs.add(new Ref(name, y));
        return this;
    }

    /** Renders and writes atomically (temporary file in the same directory, then rename); creates parent dirs. */
    public void writePng(Path file, int width, int height) throws IOException {
        Objects.requireNonNull(file, "file");
        Plotting.writePng(render(width, height), file);
    }

    public BufferedImage render(int width, int height) {
        return render(width, height, true).image();
    }

    Plotting.Rendered render(int width, int height, boolean text) {
        Plotting.checkSize(width, height);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no series: add at least one with series(name, x, y) before rendering"
                    + (title.isEmpty() ? "" : " '" + title + "'"));
        }
        if (yLog && !Double.isNaN(yMin) && yMin <= 0) {
            throw new IllegalArgumentException("yRange(" + yMin + ", " + yMax
                    + ") cannot be used with a log y axis: min must be > 0");
        }
        Scale xs = xScale();
        Scale ys = yScale();

        Canvas c = new Canvas(width, height, text);
        try {
            Frame f = c.layout(title, xLabel, yLabel, xs, ys, target -> Plotting.ticks(xs, target));
            c.drawGrid(f, true);

            Rectangle p = f.plot();
            c.g.setClip(p);
            // Reference lines first: the measured curves are what the plot is about.
            for (int i = 0; i < refs.size(); i++) {
                Ref r = refs.get(i);
                if (ys.accepts(r.y())) {
                    c.g.setColor(refColor(i));
                    c.g.setStroke(dashed(c.lineWidth));
                    double y = Canvas.crisp(f.py(r.y()));
                    c.g.draw(new Line2D.Double(p.x, y, p.x + p.width, y));
                }
            }
            for (int i = 0; i < series.size(); i++) {
                drawSeries(c, f, series.get(i), i);
            }
            c.g.setClip(null);

            c.drawAxes(f, title, xLabel, yLabel);
            Rectangle legend = drawLegend(c, f);
            return new Plotting.Rendered(c.image, p, legend, c.textEnabled());
        } finally {
            c.dispose();
        }
    }

    private Scale xScale() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (placeable(s.x()[i], s.y()[i])) {
                    lo = Math.min(lo, s.x()[i]);
                    hi = Math.max(hi, s.x()[i]);
                }
            }
        }
        return Plotting.autoScale(lo, hi, false);
    }

    private Scale yScale() {
        if (!Double.isNaN(yMin)) {
            return new Scale(yMin, yMax, yLog);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.y().length; i++) {
                if (placeable(s.x()[i], s.y()[i])) {
                    lo = Math.min(lo, s.y()[i]);
                    hi = Math.max(hi, s.y()[i]);
                }
            }
        }
        // Reference lines count: a target the curve has not reached yet should still be on screen.
        for (Ref r : refs) {
            if (!yLog || r.y() > 0) {
                lo = Math.min(lo, r.y());
                hi = Math.max(hi, r.y());
            }
        }
        return Plotting.autoScale(lo, hi, yLog);
    }

    private boolean placeable(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && (!yLog || y > 0);
    }

    private Color refColor(int i) {
        // After the series' colours, so a reference line never looks like one of the curves.
        return Plotting.color(series.size() + i);
    }

    private static BasicStroke dashed(float w) {
        return new BasicStroke(w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {4 * w, 3 * w}, 0f);
    }

    private static BasicStroke solid(float w) {
        return new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private void drawSeries(Canvas c, Frame f, Series s, int index) {
        c.g.setColor(Plotting.color(index));
        c.g.setStroke(solid(c.lineWidth));
        Path2D.Double path = new Path2D.Double();
        List<double[]> points = new ArrayList<>();
        List<double[]> isolated = new ArrayList<>();
        int run = 0;
        double[] last = null;
        for (int i = 0; i < s.x().length; i++) {
            if (!placeable(s.x()[i], s.y()[i])) {
                if (run == 1) {
                    isolated.add(last);
                }
                run = 0;
                continue;
            }
            double[] pt = {f.px(s.x()[i]), f.py(s.y()[i])};
            if (run == 0) {
                path.moveTo(pt[0], pt[1]);
            } else {
                path.lineTo(pt[0], pt[1]);
            }
            run++;
            last = pt;
            points.add(pt);
        }
        if (run == 1) {
            isolated.add(last);
        }
        c.g.draw(path);

        double size = markerSize(c);
        // With hundreds of epochs the markers would merge into a thick smear; the line alone reads better.
        // A point between two gaps has no line, so it keeps its marker whatever the density.
        boolean dense = points.size() > f.plot().width / (size * 1.5);
        for (double[] pt : dense ? isolated : points) {
            c.g.fill(marker(index, pt[0], pt[1], size));
        }
    }

    private static double markerSize(Canvas c) {
        return c.lineWidth * 2.5 + 2;
    }

    /** Shape cycles with a different period than colour, so series 8 does not repeat series 0 exactly. */
    private static Shape marker(int index, double x, double y, double size) {
        double r = size / 2;
        int kind = Math.floorMod(index + index / Plotting.PALETTE.length, 4);
        switch (kind) {
            case 0:
                return new Ellipse2D.Double(x - r, y - r, size, size);
            case 1:
                return new Rectangle2D.Double(x - r * 0.9, y - r * 0.9, size * 0.9, size * 0.9);
            case 2: {
                Path2D.Double t = new Path2D.Double();
                t.moveTo(x, y - r * 1.15);
                t.lineTo(x + r * 1.1, y + r * 0.8);
                t.lineTo(x - r * 1.1, y + r * 0.8);
                t.closePath();
                return t;
            }
            default: {
                Path2D.Double d = new Path2D.Double();
                d.moveTo(x, y - r * 1.2);
                d.lineTo(x + r * 1.2, y);
                d.lineTo(x, y + r * 1.2);
                d.lineTo(x - r * 1.2, y);
                d.closePath();
                return d;
            }
        }
    }

    /**
     * Legend inside the plot, in whichever corner covers the fewest data: learning curves fall towards the
     * bottom right, accuracy curves rise towards the top right, and a fixed corner would hide one of them.
     */
    private Rectangle drawLegend(Canvas c, Frame f) {
        int n = series.size() + refs.size();
        int rowH = Math.max(c.lineHeight(c.tick), Math.round(c.lineWidth * 6));
        int swatch = Math.round(c.tick.size() * 2.4f);
        int pad = Math.max(4, c.tick.size() / 2);
        int nameW = 0;
        for (Series s : series) {
            nameW = Math.max(nameW, c.textWidth(s.name(), c.tick));
        }
        for (Ref r : refs) {
            nameW = Math.max(nameW, c.textWidth(r.name(), c.tick));
        }
        int w = pad + swatch + pad + nameW + pad;
        int h = pad + n * rowH + pad;
        Rectangle p = f.plot();
        int inset = Math.max(4, pad);
        Rectangle[] corners = {
            new Rectangle(p.x + p.width - inset - w, p.y + inset, w, h),
            new Rectangle(p.x + inset, p.y + inset, w, h),
            new Rectangle(p.x + p.width - inset - w, p.y + p.height - inset - h, w, h),
            new Rectangle(p.x + inset, p.y + p.height - inset - h, w, h),
        };
        Rectangle box = corners[0];
        long best = Long.MAX_VALUE;
        for (Rectangle r : corners) {
            long score = coverage(f, r);
            if (score < best) {
                best = score;
                box = r;
            }
        }

        c.g.setColor(Color.WHITE);
        c.g.fill(box);
        c.g.setColor(Canvas.LEGEND_BORDER);
        c.g.setStroke(new BasicStroke(1f));
        c.g.draw(new Rectangle2D.Double(box.x + 0.5, box.y + 0.5, box.width - 1, box.height - 1));
        int row = 0;
        for (int i = 0; i < series.size(); i++, row++) {
            double cy = Canvas.crisp(box.y + pad + row * rowH + rowH / 2.0);
            double x0 = box.x + pad;
            c.g.setColor(Plotting.color(i));
            c.g.setStroke(solid(c.lineWidth));
            c.g.draw(new Line2D.Double(x0, cy, x0 + swatch, cy));
            c.g.fill(marker(i, x0 + swatch / 2.0, cy, markerSize(c)));
            c.drawText(series.get(i).name(), c.tick, x0 + swatch + pad,
                    cy - c.lineHeight(c.tick) / 2.0 + c.ascent(c.tick), Canvas.TEXT);
        }
        for (int i = 0; i < refs.size(); i++, row++) {
            double cy = Canvas.crisp(box.y + pad + row * rowH + rowH / 2.0);
            double x0 = box.x + pad;
            c.g.setColor(refColor(i));
            c.g.setStroke(dashed(c.lineWidth));
            c.g.draw(new Line2D.Double(x0, cy, x0 + swatch, cy));
            c.drawText(refs.get(i).name(), c.tick, x0 + swatch + pad,
                    cy - c.lineHeight(c.tick) / 2.0 + c.ascent(c.tick), Canvas.TEXT);
        }
        return box;
    }

    /** How much drawn data falls inside r: points, plus samples along segments and reference lines. */
    private long coverage(Frame f, Rectangle r) {
        Rectangle grown = new Rectangle(r.x - 3, r.y - 3, r.width + 6, r.height + 6);
        long hits = 0;
        for (Series s : series) {
            double px = Double.NaN;
            double py = Double.NaN;
            for (int i = 0; i < s.x().length; i++) {
                if (!placeable(s.x()[i], s.y()[i])) {
                    px = Double.NaN;
                    continue;
                }
                double x = f.px(s.x()[i]);
                double y = f.py(s.y()[i]);
                if (grown.contains(x, y)) {
                    hits += 3; // a marker hidden weighs more than a stretch of line
                }
                if (!Double.isNaN(px)) {
                    for (int k = 1; k < 8; k++) {
                        double t = k / 8.0;
                        if (grown.contains(px + (x - px) * t, py + (y - py) * t)) {
                            hits++;
                        }
                    }
                }
                px = x;
                py = y;
            }
        }
        for (Ref ref : refs) {
            if (f.ys().accepts(ref.y())) {
                double y = f.py(ref.y());
                if (y >= grown.y && y <= grown.y + grown.height) {
                    hits += grown.width / 8;
                }
            }
        }
        return hits;
    }
}
