package dev.lifvision.emulator;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link IntAxpy} with explicit SIMD vectors; loaded only when the incubator module is present. */
final class IntVectorAxpy {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;

    private IntVectorAxpy() {
    }

    static void axpy(int[] y, int yo, int[] w, int wo, int n, int c) {
        int q = 0;
        int bound = S.loopBound(n);
        if (c == 1) {
            for (; q < bound; q += S.length()) {
                IntVector.fromArray(S, w, wo + q).add(IntVector.fromArray(S, y, yo + q)).intoArray(y, yo + q);
            }
        } else {
            for (; q < bound; q += S.length()) {
                IntVector.fromArray(S, w, wo + q).mul(c).add(IntVector.fromArray(S, y, yo + q)).intoArray(y, yo + q);
            }
        }
        for (; q < n; q++) {
            y[yo + q] += c * w[wo + q];
        }
    }
}
