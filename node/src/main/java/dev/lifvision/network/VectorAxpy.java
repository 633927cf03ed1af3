package dev.lifvision.network;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link Axpy} with explicit SIMD vectors; loaded only when the incubator module is present. */
final class VectorAxpy {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorAxpy() {
    }

    static void axpy(float[] y, int yo, float[] w, int wo, int n, float v) {
        int q = 0;
        int bound = S.loopBound(n);
        FloatVector vv = FloatVector.broadcast(S, v);
        for (; q < bound; q += S.length()) {
            FloatVector.fromArray(S, w, wo + q).fma(vv, FloatVector.fromArray(S, y, yo + q)).intoArray(y, yo + q);
        }
        for (; q < n; q++) {
            y[yo + q] += v * w[wo + q];
        }
    }
}
