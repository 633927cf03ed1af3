package dev.lifvision.network;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class AxpyTest {
    @Test
    void vectorAndCopyFormsAgreeWithTheScalarLoop() {
        assertTrue(Axpy.VECTOR_API, "surefire runs with --add-modules jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(3);
        float[] w = new float[700];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        for (int n : new int[]{0, 1, 7, 10, 16, 50, 250, 301}) {
            int yo = r.nextInt(50);
            int wo = r.nextInt(300);
            float[] expect = new float[400];
            float[] viaCopy = new float[400];
            float[] viaVector = new float[400];
            for (int k = 0; k < n; k++) {
                expect[yo + k] += 0.7f * w[wo + k];
            }
            Axpy.copyThenAxpy(viaCopy, yo, w, wo, n, 0.7f, new float[400]);
            VectorAxpy.axpy(viaVector, yo, w, wo, n, 0.7f);
            assertArrayEquals(expect, viaCopy, 1e-6f, "copy form, n=" + n);
            assertArrayEquals(expect, viaVector, 1e-6f, "vector form, n=" + n);
        }
    }
}
