package dev.lifvision.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void float32KeepsTheArray() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.ofFloat32(new int[]{2, 3}, data);
        assertEquals("float32", t.dtype());
        assertArrayEquals(new int[]{2, 3}, t.shape());
        assertEquals(6, t.size());
        assertSame(data, t.floats());
        assertThrows(IllegalStateException.class, t::ints);
    }

    @Test
    void intTypesConvert() {
        Tensor i8 = Tensor.ofInt8(new int[]{4}, new byte[]{-128, -1, 0, 127});
        assertArrayEquals(new int[]{-128, -1, 0, 127}, i8.ints());
        assertArrayEquals(new float[]{-128, -1, 0, 127}, i8.floats());
        Tensor i32 = Tensor.ofInt32(new int[]{2}, new int[]{Integer.MIN_VALUE, 7});
        assertArrayEquals(new int[]{Integer.MIN_VALUE, 7}, i32.ints());
        assertEquals(7f, i32.floats()[1]);
    }

    @Test
    void shapeMustMatchData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.ofFloat32(new int[]{2, 3}, new float[5]));
        assertTrue(e.getMessage().contains("needs 6 values, got 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofInt32(new int[]{-1}, new int[0]));
        assertEquals(1, Tensor.ofFloat32(new int[0], new float[]{3}).size()); // a scalar
    }

    @Test
    void float16RoundsToNearestEven() {
        float[] in = {0.1f, 1f + 0x1p-11f, 1f + 3 * 0x1p-11f, 65504f, 65519f, 65520f, -2.5f, 0x1p-24f, 0x1p-25f,
                0x1.8p-25f, 1e-10f, -0f};
        float[] expected = {0.0999755859375f, 1f, 1f + 0x1p-9f, 65504f, 65504f, Float.POSITIVE_INFINITY, -2.5f,
                0x1p-24f, 0f, 0x1p-24f, 0f, -0f};
        assertArrayEquals(expected, Tensor.ofFloat16(new int[]{in.length}, in).floats());
        assertEquals((short) 0x2e66, Half.fromFloat(0.1f));
        assertEquals((short) 0x7bff, Half.fromFloat(65504f));
        assertTrue(Float.isNaN(Half.round(Float.NaN)));
    }

    @Test
    void everyHalfValueSurvivesARoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.toFloat((short) h);
            if (!Float.isNaN(f)) {
                assertEquals((short) h, Half.fromFloat(f), "half bits " + Integer.toHexString(h));
            }
        }
        assertEquals(0x1p-14f, Half.toFloat((short) 0x0400)); // smallest normal
        assertEquals(0x1.ff8p-15f, Half.toFloat((short) 0x03ff)); // largest subnormal
    }

    @Test
    void littleEndianBytes() {
        assertArrayEquals(new byte[]{1, 0, 0, 0, -2, -1, -1, -1},
                Tensor.ofInt32(new int[]{2}, new int[]{1, -2}).littleEndianBytes());
        assertArrayEquals(new byte[]{0, 0x3c}, Tensor.ofFloat16(new int[]{1}, new float[]{1f}).littleEndianBytes());
        assertArrayEquals(new byte[]{0, 0, (byte) 0x80, 0x3f},
                Tensor.ofFloat32(new int[]{1}, new float[]{1f}).littleEndianBytes());
    }
}
