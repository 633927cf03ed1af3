package dev.lifvision.report;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {

    private static final Color BLUE = Plotting.PALETTE[0];
    private static final Color VERMILLION = Plotting.PALETTE[1];
    private static final Color GREEN = Plotting.PALETTE[2];

    @TempDir
    Path tmp;

    static double[] epochs(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    static LinePlot learningCurve() {
        int n = 30;
        double[] x = epochs(n);
        double[] train = new double[n];
        double[] val = new double[n];
        for (int i = 0; i < n; i++) {
            train[i] = 0.9 * Math.exp(-i / 6.0) + 0.05;
            val[i] = 0.9 * Math.exp(-i / 7.0) + 0.12 + 0.01 * Math.sin(i);
        }
        return new LinePlot("Learning curve", "epoch", "loss")
                .series("train", x, train)
                .series("validation", x, val)
                .hline("paper 0.10", 0.10);
    }

    @Test
    void writesDecodablePngOfRequestedSizeIntoNewDirectories() throws IOException {
        Path file = tmp.resolve("runs/42/loss.png");
        learningCurve().writePng(file, 640, 400);

        assertTrue(Files.isRegularFile(file));
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, "ImageIO could not decode the PNG");
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "the temporary file must be renamed, not left behind");
        }
        // Overwriting an existing plot (the trainer rewrites it every epoch) must work too.
        learningCurve().writePng(file, 300, 200);
        assertEquals(300, ImageIO.read(file.toFile()).getWidth());
    }

    @Test
    void seriesAndReferenceLineColoursAppearInsideThePlotArea() {
        Plotting.Rendered r = learningCurve().render(800, 500, true);
        BufferedImage img = r.image();
        Rectangle plot = r.plot();
        Rectangle legend = r.legend();

        assertTrue(plot.width > 400 && plot.height > 250, "plot area too small: " + plot);
        assertTrue(new Rectangle(0, 0, 800, 500).contains(plot));
        assertTrue(plot.contains(legend), "legend lies inside the plot: " + legend);

        int blue = PixelProbe.count(img, plot, legend, BLUE);
        int vermillion = PixelProbe.count(img, plot, legend, VERMILLION);
        int green = PixelProbe.count(img, plot, legend, GREEN);
        assertTrue(blue > 300, "train series pixels: " + blue);
        assertTrue(vermillion > 300, "validation series pixels: " + vermillion);
        assertTrue(green > 100, "reference line pixels: " + green);
        // The legend repeats each colour as a swatch.
        assertTrue(PixelProbe.count(img, legend, new Rectangle(), BLUE) > 5);
        assertTrue(PixelProbe.count(img, legend, new Rectangle(), GREEN) > 5);

        // Background white, frame dark.
        assertEquals(0xFFFFFF, img.getRGB(1, 1) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(799, 499) & 0xFFFFFF);
        assertTrue(PixelProbe.dark(img, new Rectangle(plot.x - 1, plot.y + 5, 3, plot.height - 10))
                >= plot.height - 10, "left axis line");
        assertTrue(PixelProbe.dark(img, new Rectangle(plot.x + 5, plot.y + plot.height - 1, plot.width - 10, 3))
                >= plot.width - 10, "bottom axis line");
        // Tick labels left of and below the plot; the title above it.
        if (r.textDrawn()) {
            assertTrue(PixelProbe.dark(img, new Rectangle(0, plot.y, plot.x - 8, plot.height)) > 100,
                    "y tick labels");
            assertTrue(PixelProbe.dark(img, new Rectangle(plot.x, plot.y + plot.height + 8, plot.width, 60)) > 100,
                    "x tick labels");
            assertTrue(PixelProbe.dark(img, new Rectangle(plot.x, 0, plot.width, plot.y - 2)) > 50, "title");
        }
        // Decreasing curves: the train loss starts high (left, top) and ends low (right, bottom).
        Rectangle leftQuarter = new Rectangle(plot.x, plot.y, plot.width / 4, plot.height);
        Rectangle rightQuarter = new Rectangle(plot.x + 3 * plot.width / 4, plot.y, plot.width / 4, plot.height);
        assertTrue(PixelProbe.meanRow(img, leftQuarter, legend, BLUE)
                < PixelProbe.meanRow(img, rightQuarter, legend, BLUE));
    }

    @Test
    void valuesLandWhereTheAxisSaysTheyAre() {
        double[] x = epochs(10);
        double[] y = new double[10];
        java.util.Arrays.fill(y, 0.8);
        Plotting.Rendered r = new LinePlot("t", "x", "y")
                .series("flat", x, y)
                .hline("quarter", 0.25)
                .yRange(0, 1)
                .render(600, 400, true);
        Rectangle p = r.plot();
        double hlineRow = p.y + p.height * 0.75;
        // One series, so the reference line takes the second palette colour.
        int found = PixelProbe.densestRow(r.image(), p, r.legend(), VERMILLION);
        assertTrue(Math.abs(found - hlineRow) <= 2, "hline at row " + found + ", expected ~" + hlineRow);
        double seriesRow = p.y + p.height * 0.2;
        double mean = PixelProbe.meanRow(r.image(), p, r.legend(), BLUE);
        assertTrue(Math.abs(mean - seriesRow) <= 2, "series at row " + mean + ", expected ~" + seriesRow);

        // The reference line is dashed: along its row, colour and background alternate many times.
        int transitions = 0;
        boolean prev = false;
        for (int px = p.x + 1; px < p.x + p.width - 1; px++) {
            if (r.legend().contains(px, found)) {
                continue;
            }
            boolean on = PixelProbe.near(r.image().getRGB(px, found), VERMILLION, 40);
            if (on != prev) {
                transitions++;
            }
            prev = on;
        }
        assertTrue(transitions > 20, "dash transitions: " + transitions);
    }

    @Test
    void logAxisPlacesDecadesEvenlyAndSkipsNonPositiveValues() {
        double[] x = {0, 1, 2, 3, 4, 5, 6};
        double[] y = {1, 0.1, 0.01, 0.0, -1, 0.001, 1e-4}; // 0 and -1: not on a log axis
        Plotting.Rendered r = new LinePlot("error vs presentation time", "ms", "error rate")
                .series("measured", x, y)
                .hline("target 1e-2", 1e-2)
                .yLog(true)
                .yRange(1e-4, 1)
                .render(600, 400, true);
        Rectangle p = r.plot();
        int row = PixelProbe.densestRow(r.image(), p, r.legend(), VERMILLION); // one series: ref gets colour 1
        double expected = p.y + p.height * 0.5; // 1e-2 is half-way between 1e-4 and 1 in log space
        assertTrue(Math.abs(row - expected) <= 2, "1e-2 at row " + row + ", expected ~" + expected);
        assertTrue(PixelProbe.count(r.image(), p, r.legend(), BLUE) > 100);

        // Auto range on a log axis, with data spanning many decades.
        double[] wide = {1e-7, 1e-5, 1e-3, 0.1, 10, Double.NaN, -3};
        BufferedImage img = assertDoesNotThrow(() -> new LinePlot("wide", "x", "y")
                .series("s", x, wide).yLog(true).render(500, 300));
        assertEquals(500, img.getWidth());
    }

    @Test
    void nanPointsLeaveAGapInsteadOfThrowing() {
        double[] x = epochs(11);
        double[] y = new double[11];
        for (int i = 0; i < 11; i++) {
            y[i] = i >= 4 && i <= 6 ? Double.NaN : 0.5;
        }
        y[9] = Double.NaN; // x = 11 (index 10) becomes a lone point: drawn as a marker only
        Plotting.Rendered r = new LinePlot("gaps", "x", "y").series("s", x, y).yRange(0, 1).render(600, 400, true);
        Rectangle p = r.plot();
        // x = 6 lies inside the gap between x = 4 and x = 8: its column must hold no line.
        // Auto x range: data 1..11 plus 5 % of the span on each side.
        double scaleMin = 1 - 0.5;
        double scaleMax = 11 + 0.5;
        int gapColumn = (int) Math.round(p.x + (6 - scaleMin) / (scaleMax - scaleMin) * p.width);
        int lineColumn = (int) Math.round(p.x + (2.5 - scaleMin) / (scaleMax - scaleMin) * p.width);
        assertEquals(0, PixelProbe.countColumn(r.image(), gapColumn, p, r.legend(), BLUE));
        assertTrue(PixelProbe.countColumn(r.image(), lineColumn, p, r.legend(), BLUE) > 0);

        // Only NaN, or nothing at all: an empty but valid plot.
        assertDoesNotThrow(() -> new LinePlot("t", "x", "y")
                .series("nan", new double[] {1, 2}, new double[] {Double.NaN, Double.NaN}).render(200, 150));
        assertDoesNotThrow(() -> new LinePlot("t", "x", "y")
                .series("empty", new double[0], new double[0]).render(200, 150));
        assertDoesNotThrow(() -> new LinePlot("t", "x", "y")
                .series("one", new double[] {3}, new double[] {3}).render(200, 150));
        assertDoesNotThrow(() -> new LinePlot(null, null, null)
                .series("inf", new double[] {1, Double.POSITIVE_INFINITY, 3}, new double[] {1, 2, 3})
                .render(100, 100));
    }

    @Test
    void stillDrawsTheDataWhenTextCannotBeRendered() {
        Plotting.Rendered r = learningCurve().render(640, 400, false);
        assertFalse(r.textDrawn());
        Rectangle p = r.plot();
        assertTrue(PixelProbe.count(r.image(), p, r.legend(), BLUE) > 200);
        assertEquals(0, PixelProbe.dark(r.image(), new Rectangle(p.x, 0, p.width, p.y - 2)), "no title text");
    }

    @Test
    void manySeriesAndDenseDataRender() {
        LinePlot plot = new LinePlot("many", "step", "value");
        int n = 2000;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * 0.01;
        }
        for (int s = 0; s < 10; s++) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = Math.sin(x[i] + s) * 1e6;
            }
            plot.series("s" + s, x, y);
        }
        assertEquals(1024, plot.render(1024, 768).getWidth());
    }

    @Test
    void invalidInputIsRejectedWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinePlot("t", "x", "y").series("loss", new double[3], new double[2]));
        assertTrue(e.getMessage().contains("'loss'") && e.getMessage().contains("x has 3 values but y has 2"),
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new LinePlot("t", "x", "y").render(400, 300));
        assertTrue(e.getMessage().startsWith("no series"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LinePlot("t", "x", "y").writePng(tmp.resolve("a.png"), 400, 300));
        assertTrue(e.getMessage().startsWith("no series"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("a.png")));

        LinePlot ok = new LinePlot("t", "x", "y").series("s", new double[] {1}, new double[] {1});
        e = assertThrows(IllegalArgumentException.class, () -> ok.render(99, 300));
        assertTrue(e.getMessage().contains("99x300") && e.getMessage().contains("at least 100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ok.writePng(tmp.resolve("b.png"), 300, 50));
        assertTrue(e.getMessage().contains("300x50"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> ok.yRange(1, 1));
        assertTrue(e.getMessage().contains("min < max"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ok.yRange(Double.NaN, 1));
        e = assertThrows(IllegalArgumentException.class, () -> ok.hline("ref", Double.NaN));
        assertTrue(e.getMessage().contains("'ref'"), e.getMessage());

        LinePlot logWithZero = new LinePlot("t", "x", "y").series("s", new double[] {1}, new double[] {1})
                .yRange(0, 1).yLog(true);
        e = assertThrows(IllegalArgumentException.class, () -> logWithZero.render(200, 200));
        assertTrue(e.getMessage().contains("log"), e.getMessage());
    }

    @Test
    void seriesDataIsCopied() {
        double[] y = {1, 2, 3};
        LinePlot plot = new LinePlot("t", "x", "y").series("s", new double[] {1, 2, 3}, y);
        int before = PixelProbe.count(plot.render(300, 200), new Rectangle(0, 0, 300, 200), new Rectangle(), BLUE);
        y[1] = Double.NaN;
        int after = PixelProbe.count(plot.render(300, 200), new Rectangle(0, 0, 300, 200), new Rectangle(), BLUE);
        assertEquals(before, after);
    }
}
