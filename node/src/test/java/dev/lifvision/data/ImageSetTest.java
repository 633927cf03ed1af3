package dev.lifvision.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSetTest {
    /** n images of 1x2x1; image i has pixels (i, 200) and label i % 3. */
    static ImageSet set(int n) {
        byte[] px = new byte[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[2 * i] = (byte) i;
            px[2 * i + 1] = (byte) 200;
            labels[i] = i % 3;
        }
        return new ImageSet("t", List.of("a", "b", "c"), 1, 2, 1, px, labels);
    }

    @Test
    void validatesLengthsAndLabels() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ImageSet("src", List.of("a"), 2, 2, 1, new byte[7], new int[2]));
        assertTrue(e.getMessage().contains("src") && e.getMessage().contains("8") && e.getMessage().contains("7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ImageSet("src", List.of("a", "b"), 1, 1, 1, new byte[3], new int[] {0, 1, 2}));
        assertTrue(e.getMessage().contains("image 2 is 2"), e.getMessage());
    }

    @Test
    void accessorsAndCopyPixels() {
        ImageSet s = set(5);
        assertEquals(5, s.size());
        assertEquals(2, s.imageSize());
        assertEquals(1, s.label(4));
        float[] dst = new float[3];
        s.copyPixels(3, dst);
        assertArrayEquals(new float[] {3, 200, 0}, dst); // 200 stays positive: bytes are unsigned
        assertThrows(IndexOutOfBoundsException.class, () -> s.copyPixels(5, dst));
    }

    @Test
    void limitSubsetShuffled() {
        ImageSet s = set(50);
        assertSame(s, s.limit(50));
        assertSame(s, s.limit(100));
        assertEquals(7, s.limit(7).size());
        assertEquals(0, s.limit(0).size());
        ImageSet sub = s.subset(new int[] {4, 1, 4});
        assertArrayEquals(new int[] {1, 1, 1}, sub.labels());
        assertEquals(4, sub.pixels()[4]);

        ImageSet a = s.shuffled(42), b = s.shuffled(42), c = s.shuffled(43);
        assertArrayEquals(a.pixels(), b.pixels());
        assertFalse(Arrays.equals(a.pixels(), c.pixels()));
        int[] firsts = new int[50];
        for (int i = 0; i < 50; i++) {
            int orig = a.pixels()[2 * i];
            assertEquals(orig % 3, a.label(i)); // labels travel with their images
            firsts[i] = orig;
        }
        Arrays.sort(firsts);
        for (int i = 0; i < 50; i++) assertEquals(i, firsts[i]); // a permutation
    }
}
