package dev.lifvision.bundle;

/**
 * IEEE 754 binary16 conversions. Java 17 has no Float.floatToFloat16 (added in Java 20), and the node
 * must run on 17, so this is the usual bit manipulation with round-to-nearest-even, matching numpy's
 * {@code astype(np.float16)}.
 */
final class Half {
    private Half() {
    }

    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) { // Inf stays Inf; NaN keeps a quiet bit so it cannot turn into Inf
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) { // half subnormal: value = m * 2^-24
            if (e < -10) {
                return (short) sign;
            }
            int full = mant | 0x800000;
            int shift = 14 - e;
            return (short) (sign | roundShift(full, shift));
        }
        // A carry out of the mantissa correctly bumps the exponent (up to Inf).
        return (short) (sign | roundShift((e << 23) | mant, 13));
    }

    /** value >> shift, rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int q = value >>> shift;
        int rem = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rem > halfway || (rem == halfway && (q & 1) != 0)) {
            q++;
        }
        return q;
    }

    static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    static float round(float f) {
        return toFloat(fromFloat(f));
    }
}
