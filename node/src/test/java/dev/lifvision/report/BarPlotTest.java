package dev.lifvision.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarPlotTest {

    private static final Color BAR = Plotting.PALETTE[0];

    @TempDir
    Path tmp;

    @Test
    void categoryBarsHaveHeightsProportionalToValues() throws IOException {
        BarPlot plot = new BarPlot("Mean firing rate", "layer", "Hz")
                .bars(new String[] {"conv1", "conv2", "fc1", "out"}, new double[] {40, 20, 10, Double.NaN});
        Path file = tmp.resolve("rates/rates.png");
        plot.writePng(file, 500, 300);
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img);
        assertEquals(500, img.getWidth());
        assertEquals(300, img.getHeight());

        Plotting.Rendered r = plot.render(500, 300, true);
        Rectangle p = r.plot();
        int[] heights = new int[4];
        for (int i = 0; i < 4; i++) {
            int column = (int) Math.round(p.x + (i + 0.5) / 4 * p.width);
            heights[i] = PixelProbe.countColumn(r.image(), column, p, new Rectangle(), BAR);
        }
        // Range 0 .. 42 (5 % margin above the tallest bar): conv1 fills 40/42 of the height.
        assertTrue(Math.abs(heights[0] - p.height * 40 / 42.0) <= 2, "conv1 bar " + heights[0]);
        assertTrue(Math.abs(heights[1] - heights[0] / 2.0) <= 2, "conv2 bar " + heights[1]);
        assertTrue(Math.abs(heights[2] - heights[0] / 4.0) <= 2, "fc1 bar " + heights[2]);
        assertEquals(0, heights[3], "NaN leaves its slot empty");
    }

    @Test
    void numericBinsAndNegativeValues() {
        double[] edges = new double[51];
        double[] counts = new double[50];
        for (int i = 0; i <= 50; i++) {
            edges[i] = i * 2.0;
        }
        for (int i = 0; i < 50; i++) {
            counts[i] = Math.exp(-Math.pow((i - 15) / 6.0, 2)) * 1000;
        }
        Plotting.Rendered r = new BarPlot("Firing-rate histogram", "Hz", "neurons").bins(edges, counts)
                .render(800, 400, true);
        assertTrue(PixelProbe.count(r.image(), r.plot(), new Rectangle(), BAR) > 5000);

        Plotting.Rendered neg = new BarPlot("delta", "layer", "Hz")
                .bars(new String[] {"a", "b"}, new double[] {-3, 5}).render(300, 200, true);
        assertTrue(PixelProbe.count(neg.image(), neg.plot(), new Rectangle(), BAR) > 500);
    }

    @Test
    void invalidInputIsRejectedWithClearMessages() {
        BarPlot plot = new BarPlot("t", "x", "y");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plot.render(300, 200));
        assertTrue(e.getMessage().startsWith("no bars"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> plot.bars(new String[] {"a", "b"}, new double[] {1}));
        assertTrue(e.getMessage().contains("2 categories but 1 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> plot.bins(new double[] {0, 1}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("need 3 edges, got 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> plot.bins(new double[] {0, 2, 1}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("strictly increasing"), e.getMessage());
        plot.bars(new String[] {"a"}, new double[] {1});
        e = assertThrows(IllegalArgumentException.class, () -> plot.writePng(tmp.resolve("x.png"), 100, 99));
        assertTrue(e.getMessage().contains("at least 100"), e.getMessage());
    }
}
