package dev.lifvision.emulator;

/**
 * {@code y[yo + k] += c * w[wo + k]} on ints: the emulator's scatter loop. As with the float
 * {@code Axpy}, C2 will not vectorise it when both arrays are int[] at different offsets (they
 * might alias), so it uses explicit vectors when the incubator module is present, else copies the
 * weights into a scratch array at the target's offset first, which C2 does vectorise.
 */
final class IntAxpy {
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private IntAxpy() {
    }

    /** @param scratch at least {@code yo + n} long; its contents are overwritten */
    static void axpy(int[] y, int yo, int[] w, int wo, int n, int c, int[] scratch) {
        if (n < 16) {
            for (int q = 0; q < n; q++) {
                y[yo + q] += c * w[wo + q];
            }
        } else if (VECTOR_API) {
            IntVectorAxpy.axpy(y, yo, w, wo, n, c);
        } else {
            System.arraycopy(w, wo, scratch, yo, n);
            if (c == 1) {
                for (int q = yo; q < yo + n; q++) {
                    y[q] += scratch[q];
                }
            } else {
                for (int q = yo; q < yo + n; q++) {
                    y[q] += c * scratch[q];
                }
            }
        }
    }
}
