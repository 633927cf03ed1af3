package dev.lifvision.encode;

import dev.lifvision.bundle.InputSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PreprocessorTest {
    @Test
    void sameSizeGreyAppliesScaleAndOffset() {
        Preprocessor p = new Preprocessor(new InputSpec(2, 2, 1, "gray", "stretch", 0.5, 1.0, null), null);
        float[] out = new float[4];
        p.apply(new byte[]{0, 10, (byte) 200, (byte) 255}, 0, 2, 2, 1, out);
        assertArrayEquals(new float[]{1f, 6f, 101f, 128.5f}, out, 1e-5f);
    }

    @Test
    void colourToGreyUsesLumaAndBgrSwapsChannels() {
        byte[] rgb = {(byte) 255, 0, 0};
        float[] grey = new float[1];
        new Preprocessor(new InputSpec(1, 1, 1, "gray", "stretch", 1, 0, null), null).apply(rgb, 0, 1, 1, 3, grey);
        assertEquals(0.299f * 255, grey[0], 1e-3f);
        float[] bgr = new float[3];
        new Preprocessor(new InputSpec(1, 1, 3, "bgr", "stretch", 1, 0, null), null).apply(rgb, 0, 1, 1, 3, bgr);
        assertArrayEquals(new float[]{0, 0, 255}, bgr);
    }

    @Test
    void shrinkingAveragesAreasAndCentreCropKeepsAspect() {
        // 4x8 frame: left 4 columns 0, right 4 columns 200; centre crop to a square takes columns 2..5
        byte[] px = new byte[32];
        for (int y = 0; y < 4; y++) {
            for (int x = 4; x < 8; x++) {
                px[y * 8 + x] = (byte) 200;
            }
        }
        float[] out = new float[4];
        new Preprocessor(new InputSpec(2, 2, 1, "gray", "center_crop", 1, 0, null), null).apply(px, 0, 4, 8, 1, out);
        assertArrayEquals(new float[]{0, 200, 0, 200}, out, 1e-3f);
        new Preprocessor(new InputSpec(2, 2, 1, "gray", "stretch", 1, 0, null), null).apply(px, 0, 4, 8, 1, out);
        assertArrayEquals(new float[]{0, 200, 0, 200}, out, 1e-3f);
        float[] one = new float[1];
        new Preprocessor(new InputSpec(1, 1, 1, "gray", "stretch", 1, 0, null), null).apply(px, 0, 4, 8, 1, one);
        assertEquals(100f, one[0], 1e-3f, "whole-frame average");
    }

    @Test
    void sourceSizeWindowAndMeanAreAppliedAsForCifar() {
        // 4x4 source, 2x2 centred window, per-pixel mean over the 4x4 source
        byte[] px = new byte[16];
        float[] mean = new float[16];
        for (int i = 0; i < 16; i++) {
            px[i] = (byte) (i * 10);
            mean[i] = i;
        }
        InputSpec in = new InputSpec(2, 2, 1, "gray", "stretch", 1, 0, "input.mean", new int[]{4, 4});
        float[] out = new float[4];
        new Preprocessor(in, mean).apply(px, 0, 4, 4, 1, out);
        // window rows 1..2, cols 1..2: indices 5, 6, 9, 10 -> 9*i
        assertArrayEquals(new float[]{45, 54, 81, 90}, out, 1e-4f);
    }

    @Test
    void regionOfInterestIsValidatedAndUsed() {
        byte[] px = new byte[16];
        px[15] = (byte) 100; // bottom-right pixel of a 4x4 frame
        float[] out = new float[1];
        new Preprocessor(new InputSpec(1, 1, 1, "gray", "stretch", 1, 0, null), null).roi(0.75, 0.75, 1, 1)
                .apply(px, 0, 4, 4, 1, out);
        assertEquals(100f, out[0], 1e-3f);
        assertThrows(IllegalArgumentException.class,
                () -> new Preprocessor(new InputSpec(1, 1, 1, "gray", "stretch", 1, 0, null), null).roi(0.5, 0, 0.4, 1));
    }
}
