package dev.lifvision.report;

import dev.lifvision.report.Plotting.Scale;
import dev.lifvision.report.Plotting.Ticks;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.function.IntFunction;

/**
 * An image plus the frame around a plot area: title, axis labels, ticks and grid.
 *
 * <p>All text goes through this class because text is the one part of Java2D that needs the platform's
 * font stack: on a stripped-down node (no fontconfig, no fonts) the first string drawn can throw an
 * {@link Error}. A plot without labels is still worth having, so the first failure switches text off
 * for the rest of the image and layout falls back to estimated text sizes.
 */
final class Canvas {

    static final Color TEXT = new Color(0x222222);
    static final Color AXIS = new Color(0x444444);
    static final Color GRID = new Color(0xE4E4E4);
    static final Color LEGEND_BORDER = new Color(0xAAAAAA);

    /** A font and its nominal size; the size is kept so that layout still works once text is off. */
    record Style(Font font, int size) {
    }

    /** The plot area and how data maps into it. */
    record Frame(Rectangle plot, Scale xs, Scale ys, Ticks xt, Ticks yt) {
        double px(double x) {
            return plot.x + xs.t(x) * plot.width;
        }

        double py(double y) {
            return plot.y + plot.height - ys.t(y) * plot.height;
        }
    }

    final BufferedImage image;
    final Graphics2D g;
    final int width;
    final int height;
    final Style tick;
    final Style label;
    final Style title;
    /** Stroke width for data lines; grows with the image so that large exports do not look hairline. */
    final float lineWidth;
    private boolean textOk;

    Canvas(int width, int height, boolean text) {
        Plotting.checkSize(width, height);
        this.width = width;
        this.height = height;
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        // PURE: without it Java2D nudges strokes to pixel centres, which makes thin dashed lines uneven.
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        int base = Math.max(11, Math.round(Math.min(width, height) / 42f));
        lineWidth = Math.max(1.5f, Math.min(width, height) / 300f);
        textOk = text;
        tick = style(Font.PLAIN, Math.max(10, Math.round(base * 0.9f)));
        label = style(Font.PLAIN, base);
        title = style(Font.BOLD, Math.round(base * 1.25f));
    }

    private Style style(int weight, int size) {
        Font f = null;
        if (textOk) {
            try {
                // The logical "SansSerif" always resolves to something, even on a minimal JDK install.
                f = new Font(Font.SANS_SERIF, weight, size);
            } catch (RuntimeException | Error e) {
                textFailed(e);
            }
        }
        return new Style(f, size);
    }

    boolean textEnabled() {
        return textOk;
    }

    private void textFailed(Throwable e) {
        // Out of memory or a stack overflow is not a font problem: let those through.
        if (e instanceof OutOfMemoryError oom) {
            throw oom;
        }
        if (e instanceof StackOverflowError so) {
            throw so;
        }
        textOk = false;
    }

    private FontMetrics metrics(Style s) {
        if (textOk && s.font() != null) {
            try {
                return g.getFontMetrics(s.font());
            } catch (RuntimeException | Error e) {
                textFailed(e);
            }
        }
        return null;
    }

    int textWidth(String s, Style st) {
        FontMetrics fm = metrics(st);
        if (fm != null) {
            try {
                return fm.stringWidth(s);
            } catch (RuntimeException | Error e) {
                textFailed(e);
            }
        }
        return Math.round(s.length() * st.size() * 0.6f);
    }

    int lineHeight(Style st) {
        FontMetrics fm = metrics(st);
        return fm != null ? fm.getHeight() : Math.round(st.size() * 1.25f);
    }

    int ascent(Style st) {
        FontMetrics fm = metrics(st);
        return fm != null ? fm.getAscent() : Math.round(st.size() * 0.95f);
    }

    void drawText(String s, Style st, double x, double baseline, Color c) {
        if (!textOk || st.font() == null || s.isEmpty()) {
            return;
        }
        try {
            g.setFont(st.font());
            g.setColor(c);
            g.drawString(s, (float) x, (float) baseline);
        } catch (RuntimeException | Error e) {
            textFailed(e);
        }
    }

    /** Text centred horizontally on cx, vertically on cy. */
    void drawCentred(String s, Style st, double cx, double cy, Color c) {
        double baseline = cy - lineHeight(st) / 2.0 + ascent(st);
        drawText(s, st, cx - textWidth(s, st) / 2.0, baseline, c);
    }

    void drawVertical(String s, Style st, double cx, double cy, Color c) {
        AffineTransform old = g.getTransform();
        try {
            g.translate(cx, cy);
            g.rotate(-Math.PI / 2);
            drawCentred(s, st, 0, 0, c);
        } finally {
            g.setTransform(old);
        }
    }

    /**
     * Places the plot area: the margins depend on the text around it, and the y tick labels (whose width
     * sets the left margin) depend on the plot height, hence the order height → y ticks → width → x ticks.
     *
     * @param xTicks x ticks for a given target count (the count comes from the available width)
     */
    Frame layout(String titleText, String xLabel, String yLabel, Scale xs, Scale ys,
            IntFunction<Ticks> xTicks) {
        int pad = pad();
        int tickLen = Math.max(4, Math.round(lineWidth * 2.5f));
        int top = pad + (titleText.isEmpty() ? 0 : lineHeight(title) + pad / 2);
        int bottom = pad + tickLen + 2 + lineHeight(tick) + (xLabel.isEmpty() ? 0 : lineHeight(label) + 2);
        int plotH = Math.max(10, height - top - bottom);

        int yTarget = Math.max(2, Math.min(10, plotH / (lineHeight(tick) * 3)));
        Ticks yt = Plotting.ticks(ys, yTarget);
        int yLabW = 0;
        for (String l : yt.labels()) {
            yLabW = Math.max(yLabW, textWidth(l, tick));
        }
        int left = pad + (yLabel.isEmpty() ? 0 : lineHeight(label) + pad / 2) + yLabW + tickLen + 4;
        int right = pad + Math.round(textWidth("0000", tick) / 2f); // room for half of the last x label
        int plotW = Math.max(10, width - left - right);

        int xTarget = Math.max(2, Math.min(12, plotW / Math.max(1, textWidth("0.000", tick) * 2)));
        Ticks xt = xTicks.apply(xTarget);
        return new Frame(new Rectangle(left, top, plotW, plotH), xs, ys, xt, yt);
    }

    /**
     * The centre of the pixel containing v. With antialiasing, a 1-pixel line on a pixel boundary is
     * smeared over two rows at half intensity; on the centre it stays one sharp row.
     */
    static double crisp(double v) {
        return Math.floor(v) + 0.5;
    }

    private int pad() {
        return Math.max(6, Math.round(label.size() * 0.8f));
    }

    void drawGrid(Frame f, boolean vertical) {
        Rectangle p = f.plot();
        g.setColor(GRID);
        g.setStroke(new BasicStroke(1f));
        for (double v : f.yt().values()) {
            double y = crisp(f.py(v));
            g.draw(new Line2D.Double(p.x, y, p.x + p.width, y));
        }
        if (vertical) {
            for (double v : f.xt().values()) {
                double x = crisp(f.px(v));
                g.draw(new Line2D.Double(x, p.y, x, p.y + p.height));
            }
        }
    }

    /** Frame, tick marks, tick labels, axis labels and title; drawn after the data so the frame stays on top. */
    void drawAxes(Frame f, String titleText, String xLabel, String yLabel) {
        Rectangle p = f.plot();
        int tickLen = Math.max(4, Math.round(lineWidth * 2.5f));
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(p.x + 0.5, p.y + 0.5, p.width - 1, p.height - 1));

        int tickH = lineHeight(tick);
        // Labels that would overlap their neighbour are skipped rather than drawn on top of each other
        // (many categories, or log ticks at 1-2-5 over a short axis).
        double lastRight = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < f.xt().values().length; i++) {
            double x = crisp(f.px(f.xt().values()[i]));
            g.setColor(AXIS);
            g.draw(new Line2D.Double(x, p.y + p.height, x, p.y + p.height + tickLen));
            String s = f.xt().labels()[i];
            int w = textWidth(s, tick);
            if (x - w / 2.0 >= lastRight + 4) {
                drawCentred(s, tick, x, p.y + p.height + tickLen + 2 + tickH / 2.0, TEXT);
                lastRight = x + w / 2.0;
            }
        }
        double lastTop = Double.POSITIVE_INFINITY;
        for (int i = 0; i < f.yt().values().length; i++) {
            double y = crisp(f.py(f.yt().values()[i]));
            g.setColor(AXIS);
            g.draw(new Line2D.Double(p.x - tickLen, y, p.x, y));
            String s = f.yt().labels()[i];
            int w = textWidth(s, tick);
            if (y + tickH / 2.0 <= lastTop) {
                drawText(s, tick, p.x - tickLen - 3 - w, y - tickH / 2.0 + ascent(tick), TEXT);
                lastTop = y - tickH / 2.0;
            }
        }

        if (!xLabel.isEmpty()) {
            double cy = p.y + p.height + tickLen + 2 + tickH + 2 + lineHeight(label) / 2.0;
            drawCentred(xLabel, label, p.x + p.width / 2.0, cy, TEXT);
        }
        if (!yLabel.isEmpty()) {
            // Same place layout() reserved for it: at the left edge, not next to the (varying) tick labels.
            double cx = pad() + lineHeight(label) / 2.0;
            drawVertical(yLabel, label, cx, p.y + p.height / 2.0, TEXT);
        }
        if (!titleText.isEmpty()) {
            drawCentred(titleText, title, p.x + p.width / 2.0, pad() + lineHeight(title) / 2.0, TEXT);
        }
    }

    void dispose() {
        g.dispose();
    }
}
