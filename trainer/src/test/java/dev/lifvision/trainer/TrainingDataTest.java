package dev.lifvision.trainer;

import dev.lifvision.bundle.InputSpec;
import dev.lifvision.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class TrainingDataTest {
    private static final int H = 6, W = 5;

    /** One grey image whose pixel at (y, x) is 10 * y + x + 1, so every value says where it came from. */
    private static TrainingData image() {
        byte[] px = new byte[H * W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                px[y * W + x] = (byte) (10 * y + x + 1);
            }
        }
        ImageSet set = new ImageSet("fixture", List.of("a", "b"), H, W, 1, px, new int[]{1});
        InputSpec raw = new InputSpec(H, W, 1, "gray", "stretch", 1.0, 0.0, null);
        return TrainingData.of(set, raw, null, H, W);
    }

    @Test
    void shiftMovesTheImageAndZeroesWhatItUncovers() {
        TrainingData data = image();
        SplittableRandom rnd = new SplittableRandom(3);
        Set<String> seen = new HashSet<>();
        for (int trial = 0; trial < 200; trial++) {
            float[] f = data.batch(new int[]{0}, 0, 1, rnd, false, 2).getFeatures().data().asFloat();
            // recover the shift from any non-zero pixel, then check every pixel against it
            int dy = Integer.MIN_VALUE, dx = 0;
            for (int k = 0; k < f.length && dy == Integer.MIN_VALUE; k++) {
                if (f[k] != 0) {
                    int v = Math.round(f[k]) - 1;
                    dy = k / W - v / 10;
                    dx = k % W - v % 10;
                }
            }
            assertTrue(Math.abs(dy) <= 2 && Math.abs(dx) <= 2, "shift " + dy + "," + dx);
            seen.add(dy + "," + dx);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int sy = y - dy, sx = x - dx;
                    float want = sy < 0 || sy >= H || sx < 0 || sx >= W ? 0f : 10 * sy + sx + 1;
                    assertEquals(want, f[y * W + x], "pixel " + y + "," + x + " at shift " + dy + "," + dx);
                }
            }
        }
        assertEquals(25, seen.size(), "all shifts in [-2, 2]^2 drawn: " + seen);
    }

    @Test
    void noRandomMeansTheUnshiftedImage() {
        DataSet ds = image().batch(new int[]{0}, 0, 1, null, false, 2);
        float[] f = ds.getFeatures().data().asFloat();
        for (int k = 0; k < f.length; k++) {
            assertEquals(10 * (k / W) + k % W + 1, f[k]);
        }
        assertEquals(1f, ds.getLabels().getFloat(0, 1));
    }
}
