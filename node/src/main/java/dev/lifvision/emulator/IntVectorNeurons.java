package dev.lifvision.emulator;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The first pass of {@link LoihiSimulator}'s neuron update with explicit SIMD vectors (C2 leaves
 * the scalar form of this loop scalar); loaded only when the incubator module is present. Same
 * arithmetic lane by lane as {@link LoihiSimulator#decay} and the scalar loop.
 */
final class IntVectorNeurons {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;

    private IntVectorNeurons() {
    }

    /**
     * Updates u, v and the refractory counters of neurons [0, bound) where bound is the returned
     * value (a multiple of the vector length); the caller does the rest scalar.
     *
     * @param sat receives the OR of (value ^ clamped value) for input, u and v: non-zero means a saturation
     */
    static int step(int[] a, int[] uu, int[] vv, int[] rr, int[] b, int sh, int aMin, int aMax, int ku, int kv,
                    int ds, int dm, int uLo, int uHi, int vHi, int[] sat) {
        int bound = S.loopBound(a.length);
        IntVector satIn = IntVector.zero(S), satU = IntVector.zero(S), satV = IntVector.zero(S);
        for (int i = 0; i < bound; i += S.length()) {
            IntVector x = IntVector.fromArray(S, a, i);
            IntVector xc = x.min(aMax).max(aMin);
            satIn = satIn.or(x.lanewise(VectorOperators.XOR, xc));
            IntVector ui = decay(IntVector.fromArray(S, uu, i), ku, ds, dm).add(xc.lanewise(VectorOperators.LSHL, sh));
            IntVector uc = ui.min(uHi).max(uLo);
            satU = satU.or(ui.lanewise(VectorOperators.XOR, uc));
            uc.intoArray(uu, i);
            IntVector vi = decay(IntVector.fromArray(S, vv, i), kv, ds, dm).add(uc).add(IntVector.fromArray(S, b, i));
            IntVector vc = vi.min(vHi);
            satV = satV.or(vi.lanewise(VectorOperators.XOR, vc));
            vc = vc.max(0);
            IntVector w = IntVector.fromArray(S, rr, i).sub(1).max(0);
            w.intoArray(rr, i);
            VectorMask<Integer> refractory = w.compare(VectorOperators.GT, 0);
            vc.blend(0, refractory).intoArray(vv, i);
        }
        sat[0] |= satIn.reduceLanes(VectorOperators.OR);
        sat[1] |= satU.reduceLanes(VectorOperators.OR);
        sat[2] |= satV.reduceLanes(VectorOperators.OR);
        return bound;
    }

    private static IntVector decay(IntVector x, int keep, int ds, int dm) {
        IntVector s = x.lanewise(VectorOperators.ASHR, 31);
        IntVector ax = x.lanewise(VectorOperators.XOR, s).sub(s);
        IntVector r = ax.lanewise(VectorOperators.LSHR, ds).mul(keep)
                .add(ax.and(dm).mul(keep).lanewise(VectorOperators.LSHR, ds));
        return r.lanewise(VectorOperators.XOR, s).sub(s);
    }
}
