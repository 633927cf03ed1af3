package dev.lifvision.network;

/**
 * {@code y[yo + k] += v * w[wo + k]} for k in [0, n): the inner loop of every event-driven scatter.
 *
 * <p>HotSpot C2 (JDK 17 to 25) does not vectorise this loop when y and w are both float[] with
 * different offsets, because it cannot rule out that they are the same array; it runs at about
 * 2 G multiply-adds/s. Two faster forms are used: with the {@code jdk.incubator.vector} module
 * present ({@code --add-modules jdk.incubator.vector}, as the launch script passes) explicit
 * vectors (about 6.5 G/s); otherwise the weights are first copied into a scratch array at the
 * target's offset, so the loop indexes both arrays alike and C2 vectorises it (about 4.4 G/s).
 */
final class Axpy {
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Axpy() {
    }

    /** @param scratch at least {@code yo + n} long; its contents are overwritten */
    static void axpy(float[] y, int yo, float[] w, int wo, int n, float v, float[] scratch) {
        if (VECTOR_API) {
            VectorAxpy.axpy(y, yo, w, wo, n, v);
        } else {
            copyThenAxpy(y, yo, w, wo, n, v, scratch);
        }
    }

    static void copyThenAxpy(float[] y, int yo, float[] w, int wo, int n, float v, float[] scratch) {
        System.arraycopy(w, wo, scratch, yo, n);
        for (int q = yo; q < yo + n; q++) {
            y[q] += v * scratch[q];
        }
    }
}
