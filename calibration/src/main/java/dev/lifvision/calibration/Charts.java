package dev.lifvision.calibration;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The report's PNG plots, drawn with JFreeChart (headless). */
final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** A named line: x and y values, dashed or not. */
    record Line(String name, double[] x, double[] y, boolean dashed) {
    }

    static void lines(Path file, String title, String xLabel, String yLabel, List<Line> lines, boolean logY,
                      double yFloor) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Line l : lines) {
            XYSeries s = new XYSeries(l.name(), false, true);
            for (int i = 0; i < l.x().length; i++) {
                if (!Double.isNaN(l.y()[i])) {
                    s.add(l.x()[i], logY ? Math.max(yFloor, l.y()[i]) : l.y()[i]);
                }
            }
            data.addSeries(s);
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        org.jfree.chart.axis.ValueAxis y;
        if (logY) {
            LogAxis la = new LogAxis(yLabel);
            la.setSmallestValue(yFloor);
            la.setNumberFormatOverride(new java.text.DecimalFormat("0.##"));
            y = la;
        } else {
            y = new NumberAxis(yLabel);
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        Color[] palette = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
                new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
                new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
        int solid = 0;
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            boolean reference = l.name().startsWith("ANN");
            r.setSeriesPaint(i, reference ? Color.BLACK : palette[(l.dashed() ? i - solid : solid++) % palette.length]);
            r.setSeriesStroke(i, l.dashed() || reference
                    ? new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f)
                    : new BasicStroke(2f));
        }
        save(file, title, new XYPlot(data, x, y, r), 900, 560);
    }

    /** Histogram (fraction of samples per bin) as step lines, one per series. */
    static void histogram(Path file, String title, String xLabel, double binWidth, List<String> names,
                          List<double[]> fractions) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (int k = 0; k < names.size(); k++) {
            XYSeries s = new XYSeries(names.get(k), false, true);
            double[] f = fractions.get(k);
            for (int b = 0; b < f.length; b++) {
                s.add(b * binWidth, Math.max(1e-7, f[b]));
            }
            s.add(f.length * binWidth, Math.max(1e-7, f[f.length - 1]));
            data.addSeries(s);
        }
        NumberAxis x = new NumberAxis(xLabel);
        LogAxis y = new LogAxis("fraction of (neuron, image) samples");
        y.setSmallestValue(1e-7);
        XYStepRenderer r = new XYStepRenderer();
        r.setSeriesPaint(0, new Color(31, 119, 180));
        r.setSeriesPaint(1, new Color(214, 39, 40));
        r.setSeriesStroke(0, new BasicStroke(2f));
        r.setSeriesStroke(1, new BasicStroke(1.5f));
        save(file, title, new XYPlot(data, x, y, r), 800, 500);
    }

    /** The house style shared by the XY charts: white background, light grid, bold title, legend. */
    private static void save(Path file, String title, XYPlot plot, int width, int height) throws IOException {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    }

    /** A count matrix as a heat map (colour: fraction of its row), counts written in the cells. */
    static void matrix(Path file, String title, String rowLabel, String colLabel, List<String> labels, long[][] m)
            throws IOException {
        int n = labels.size();
        double[] xs = new double[n * n], ys = new double[n * n], zs = new double[n * n];
        int q = 0;
        for (int i = 0; i < n; i++) {
            long row = 0;
            for (long v : m[i]) {
                row += v;
            }
            for (int j = 0; j < n; j++) {
                xs[q] = j;
                ys[q] = i;
                zs[q] = row == 0 ? 0 : (double) m[i][j] / row;
                q++;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("counts", new double[][]{xs, ys, zs});
        String[] names = labels.stream().map(s -> s.length() > 8 ? s.substring(0, 8) : s).toArray(String[]::new);
        SymbolAxis x = new SymbolAxis(colLabel, names);
        SymbolAxis y = new SymbolAxis(rowLabel, names);
        y.setInverted(true);
        XYBlockRenderer r = new XYBlockRenderer();
        r.setPaintScale(new PaintScale() {
            @Override
            public double getLowerBound() {
                return 0;
            }

            @Override
            public double getUpperBound() {
                return 1;
            }

            @Override
            public Paint getPaint(double v) {
                // white -> blue, with a square root so that small off-diagonal fractions show
                double t = Math.sqrt(Math.max(0, Math.min(1, v)));
                return new Color((int) (255 - 225 * t), (int) (255 - 175 * t), (int) (255 - 75 * t));
            }
        });
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        Font f = new Font(Font.SANS_SERIF, Font.PLAIN, n > 12 ? 8 : 11);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (m[i][j] != 0) {
                    XYTextAnnotation a = new XYTextAnnotation(Long.toString(m[i][j]), j, i);
                    a.setFont(f);
                    a.setPaint(i == j ? Color.WHITE : Color.BLACK);
                    plot.addAnnotation(a);
                }
            }
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 640, 600);
    }

}
