package dev.lifvision.report;

import dev.lifvision.report.Canvas.Frame;
import dev.lifvision.report.Plotting.Scale;
import dev.lifvision.report.Plotting.Ticks;
import java.awt.BasicStroke;
import java.awt.Rectangle;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Bars from zero, either one per named category (e.g. mean firing rate per layer) or over numeric bins
 * given by their edges (a firing-rate histogram), where the x axis gets ordinary numeric ticks.
 * NaN values leave their slot empty. Calling {@link #bars} or {@link #bins} again replaces the data.
 */
public final class BarPlot {

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private String[] categories;
    private double[] edges;
    private double[] values;

    public BarPlot(String title, String xLabel, String yLabel) {
        this.title = title == null ? "" : title;
        this.xLabel = xLabel == null ? "" : xLabel;
        this.yLabel = yLabel == null ? "" : yLabel;
    }

    public BarPlot bars(String[] categories, double[] values) {
        if (categories == null || values == null) {
            throw new IllegalArgumentException("bars: categories and values must not be null");
        }
        if (categories.length != values.length) {
            throw new IllegalArgumentException("bars: " + categories.length + " categories but "
                    + values.length + " values; they must have the same length");
        }
        if (categories.length == 0) {
            throw new IllegalArgumentException("bars: no categories given");
        }
        for (int i = 0; i < categories.length; i++) {
            if (categories[i] == null) {
                throw new IllegalArgumentException("bars: category " + i + " is null");
            }
        }
        this.categories = categories.clone();
        this.edges = null;
        this.values = values.clone();
        return this;
    }

    /** Histogram bins: bar i spans [edges[i], edges[i+1]), so edges has one more entry than values. */
    public BarPlot bins(double[] edges, double[] values) {
        if (edges == null || values == null) {
            throw new IllegalArgumentException("bins: edges and values must not be null");
        }
        if (values.length == 0) {
            throw new IllegalArgumentException("bins: no values given");
        }
        if (edges.length != values.length + 1) {
            throw new IllegalArgumentException("bins: " + values.length + " values need "
                    + (values.length + 1) + " edges, got " + edges.length);
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
                throw new IllegalArgumentException("bins: edges must be finite and strictly increasing; edge "
                        + i + " is " + edges[i]);
            }
        }
        this.edges = edges.clone();
        this.categories = null;
        this.values = values.clone();
        return this;
    }

    public void writePng(Path file, int width, int height) throws IOException {
        Objects.requireNonNull(file, "file");
        Plotting.writePng(render(width, height), file);
    }

    public BufferedImage render(int width, int height) {
        return render(width, height, true).image();
    }

    Plotting.Rendered render(int width, int height, boolean text) {
        Plotting.checkSize(width, height);
        if (values == null) {
            throw new IllegalArgumentException("no bars: call bars(categories, values) or bins(edges, values)"
                    + " before rendering" + (title.isEmpty() ? "" : " '" + title + "'"));
        }
        int n = values.length;
        Scale xs = categories != null ? new Scale(0, n, false) : new Scale(edges[0], edges[n], false);
        Scale ys = yScale();

        Canvas c = new Canvas(width, height, text);
        try {
            Frame f = c.layout(title, xLabel, yLabel, xs, ys, target -> xTicks(xs, target));
            // Vertical grid lines between categories would only cut through the bars.
            c.drawGrid(f, false);
            Rectangle p = f.plot();
            c.g.setClip(p);
            c.g.setColor(Plotting.color(0));
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(values[i])) {
                    continue;
                }
                double x0 = f.px(categories != null ? i + 0.1 : edges[i]);
                double x1 = f.px(categories != null ? i + 0.9 : edges[i + 1]);
                if (categories == null && x1 - x0 > 4) {
                    x1 -= 1; // a hairline of background so that adjacent bins stay countable
                }
                double y0 = f.py(0);
                double y1 = f.py(values[i]);
                c.g.fill(new Rectangle2D.Double(x0, Math.min(y0, y1), Math.max(0.5, x1 - x0), Math.abs(y1 - y0)));
            }
            c.g.setClip(null);
            if (ys.min() < 0) {
                c.g.setColor(Canvas.AXIS);
                c.g.setStroke(new BasicStroke(1f));
                c.g.draw(new Line2D.Double(p.x, f.py(0), p.x + p.width, f.py(0)));
            }
            c.drawAxes(f, title, xLabel, yLabel);
            return new Plotting.Rendered(c.image, p, new Rectangle(), c.textEnabled());
        } finally {
            c.dispose();
        }
    }

    private Ticks xTicks(Scale xs, int target) {
        if (categories == null) {
            return Plotting.ticks(xs, target);
        }
        double[] v = new double[categories.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 0.5;
        }
        return new Ticks(v, categories.clone());
    }

    /** Bars grow from zero, so zero is always in range; the margin goes only on the side bars grow to. */
    private Scale yScale() {
        double lo = 0;
        double hi = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo == hi) {
            return new Scale(0, 1, false);
        }
        double pad = (hi - lo) * Plotting.MARGIN;
        return new Scale(lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0, false);
    }
}
