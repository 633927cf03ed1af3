package dev.lifvision.emulator;

/**
 * Everything the emulator and the mapper know about a neuromorphic chip, as data: number formats
 * and core limits. Another chip is another constant, not new code. All states are signed two's
 * complement with the stated width (a 23-bit state holds -2^22 .. 2^22-1).
 *
 * @param name                 short name, recorded in bundles with stored parameters
 * @param weightMantissaBits   signed weight mantissa width (8: -128..127)
 * @param weightShiftBase      a weight's integer value is {@code mantissa << (weightShiftBase + exp)}
 *                             (Loihi: 6 plus the 1-bit shift of the 8-bit mantissa, so 7)
 * @param weightExpMin         smallest weight exponent (-7)
 * @param weightExpMax         largest weight exponent (7)
 * @param inputBits            width of the per-step synaptic input sum (21)
 * @param currentBits          width of the current u (23)
 * @param voltageBits          width of the voltage v (23)
 * @param decayBits            decays are fractions of {@code 2^decayBits} (12)
 * @param thresholdMantissaBits threshold mantissa width, unsigned (17)
 * @param thresholdShift       threshold = mantissa << thresholdShift (6)
 * @param biasMantissaBits     bias mantissa magnitude width (12: |m| <= 4095)
 * @param biasExpMax           bias = mantissa << exp, exp in 0..biasExpMax (3-bit: 7)
 * @param refractoryMax        longest refractory delay in steps (63)
 * @param neuronsPerCore       compartments per core (1024)
 * @param inputAxonsPerCore    input axons per core (4096)
 * @param outputAxonsPerCore   output axons per core (4096)
 * @param synapseBitsPerCore   synapse memory per core in bits (1 Mbit)
 * @param synapseBits          bits one stored synapse takes (the weight mantissa)
 * @param coresPerChip         cores on one chip (128)
 */
public record ChipProfile(String name, int weightMantissaBits, int weightShiftBase, int weightExpMin, int weightExpMax,
                          int inputBits, int currentBits, int voltageBits, int decayBits, int thresholdMantissaBits,
                          int thresholdShift, int biasMantissaBits, int biasExpMax, int refractoryMax,
                          int neuronsPerCore, int inputAxonsPerCore, int outputAxonsPerCore, long synapseBitsPerCore,
                          int synapseBits, int coresPerChip) {

    /** Intel Loihi as the Nengo Loihi emulator models it (shared/reference/lif-method.md section 6). */
    public static final ChipProfile LOIHI = new ChipProfile("loihi", 8, 7, -7, 7, 21, 23, 23, 12, 17, 6, 12, 7, 63,
            1024, 4096, 4096, 1L << 20, 8, 128);

    public ChipProfile {
        if (inputBits > 31 || currentBits > 31 || voltageBits > 31 || weightShiftBase + weightExpMax > 30) {
            throw new IllegalArgumentException("chip " + name + ": states must fit a Java int");
        }
    }

    public static ChipProfile byName(String name) {
        if (LOIHI.name.equals(name)) {
            return LOIHI;
        }
        throw new IllegalArgumentException("unknown chip profile '" + name + "' (known: " + LOIHI.name + ")");
    }

    public int weightMantissaMax() {
        return (1 << (weightMantissaBits - 1)) - 1;
    }

    public int inputMax() {
        return (1 << (inputBits - 1)) - 1;
    }

    public int currentMax() {
        return (1 << (currentBits - 1)) - 1;
    }

    public int voltageMax() {
        return (1 << (voltageBits - 1)) - 1;
    }

    /** 2^decayBits: the denominator of every decay. */
    public int decayOne() {
        return 1 << decayBits;
    }

    public int decayMax() {
        return decayOne() - 1;
    }

    public int thresholdMantissaMax() {
        return (1 << thresholdMantissaBits) - 1;
    }

    public int biasMantissaMax() {
        return (1 << biasMantissaBits) - 1;
    }
}
