package dev.lifvision.report;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes sample images for a person to look at; skipped unless asked for:
 * {@code mvn -o -pl node test -Dtest=SamplePlotTest -Dlifvision.plot.sample=/tmp/lifvision-plot-sample.png}.
 * The bar plot goes next to it with "-bars" in the name.
 */
class SamplePlotTest {

    @Test
    @EnabledIfSystemProperty(named = "lifvision.plot.sample", matches = ".+")
    void writeSamples() throws IOException {
        Path line = Path.of(System.getProperty("lifvision.plot.sample"));
        int n = 40;
        double[] x = LinePlotTest.epochs(n);
        double[] train = new double[n];
        double[] val = new double[n];
        for (int i = 0; i < n; i++) {
            train[i] = 12 * Math.exp(-i / 5.0) + 0.5;
            val[i] = i == 17 || i == 18 ? Double.NaN : 12 * Math.exp(-i / 6.0) + 0.95 + 0.1 * Math.sin(i);
        }
        new LinePlot("MNIST error rate (LIF, 300 ms)", "epoch", "error %")
                .series("train", x, train)
                .series("validation", x, val)
                .hline("paper 0.88 %", 0.88)
                .yLog(true)
                .writePng(line, 900, 560);

        double[] edges = new double[41];
        double[] counts = new double[40];
        for (int i = 0; i <= 40; i++) {
            edges[i] = i * 5.0;
        }
        for (int i = 0; i < 40; i++) {
            counts[i] = Math.round(800 * Math.exp(-i / 6.0) + 120 * Math.exp(-Math.pow((i - 18) / 4.0, 2)));
        }
        String name = line.getFileName().toString().replaceFirst("\\.png$", "") + "-bars.png";
        new BarPlot("Firing rates, layer conv1", "rate (Hz)", "neurons").bins(edges, counts)
                .writePng(line.resolveSibling(name), 900, 560);
    }
}
