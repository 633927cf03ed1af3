package dev.lifvision.trainer;

import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.neuron.LifRate;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The (soft) LIF rate activation of a pre-activation {@code x} as a DL4J activation:
 * {@code amplitude * r(gain * x + biasOffset)}, the same function as the node's
 * {@link dev.lifvision.neuron.NeuronModel} (see {@link LifRate}), computed with vectorised ND4J ops (internally in double,
 * result in the input's data type) and with a hand-written backward pass.
 *
 * <p>Mode {@code softlif}: {@code r(j) = 1/(tauRef + tauRc*log1p(1/p))}, {@code p = gamma*softplus(z)},
 * {@code z = (j-1)/gamma}, softplus in the stable form {@code max(z,0) + log1p(exp(-|z|))} (libnd4j's own softplus
 * overflows in float32 here). For {@code z < -20} the tail is evaluated as {@code log1p(1/p) = -z - log(gamma)}
 * (exact to float precision) so float32 matches the node's double-precision rate, which stays positive (~1/|z|) far
 * below threshold; the rate is exactly 0 only where the node's double rate is
 * ({@code 1/p} overflows: {@code z} below about -708). Derivative: {@code amplitude*gain * r^2*tauRc*sigmoid(z)/(p(p+1))}.
 * Mode {@code lif}: the hard rate (0 for {@code j <= 1}) and its derivative (unbounded just above threshold; for
 * ablations only).
 *
 * <p>Training noise ({@code sigma > 0}, only in {@code getActivation(in, true)}): Gaussian noise with std
 * {@code amplitude*sigma} is added where the neuron fires ({@code j > 1}, hard threshold), then the output is clipped
 * at 0. The backward pass is that of the clean rate (noise treated as independent of {@code x}; DL4J recomputes
 * the derivative from the pre-activation and never sees the sample).
 */
public class SoftLifActivation extends BaseActivationFunction {
    private static final long serialVersionUID = 1L;

    public static final String MODE_SOFTLIF = "softlif";
    public static final String MODE_LIF = "lif";

    /** Below this z the soft-rate tail uses its asymptotic form (error ~exp(z)/2 ~ 1e-9 in log1p(1/p)). */
    static final double Z_TAIL = -20.0;

    @JsonProperty private String mode = MODE_SOFTLIF;
    @JsonProperty private double tauRc = 0.022;
    @JsonProperty private double tauRef = 0.002;
    @JsonProperty private double gain = 1.0;
    @JsonProperty private double biasOffset = 1.0;
    @JsonProperty private double amplitude = 0.063;
    @JsonProperty private double gamma = 0.02;
    @JsonProperty private double sigma = 10.0;

    /** MNIST parameters, soft LIF, sigma 10 (also the JSON constructor). */
    public SoftLifActivation() {
    }

    public SoftLifActivation(String mode, double tauRc, double tauRef, double gain, double biasOffset,
                             double amplitude, double gamma, double sigma) {
        this.mode = mode;
        this.tauRc = tauRc;
        this.tauRef = tauRef;
        this.gain = gain;
        this.biasOffset = biasOffset;
        this.amplitude = amplitude;
        this.gamma = gamma;
        this.sigma = sigma;
        validate();
    }

    /** From a node neuron spec of type {@code softlif} or {@code lif}, with training noise {@code sigma}. */
    public static SoftLifActivation of(NeuronSpec spec, double sigma) {
        if (!spec.type().equals(MODE_SOFTLIF) && !spec.type().equals(MODE_LIF)) {
            throw new IllegalArgumentException("not a LIF neuron type: " + spec.type());
        }
        return new SoftLifActivation(spec.type(), spec.tauRc(), spec.tauRef(), spec.gain(), spec.biasOffset(),
                spec.amplitude(), spec.gamma(), sigma);
    }

    /** The node spec this activation computes (noise is a training-only setting and not part of it). */
    public NeuronSpec toNeuronSpec() {
        return new NeuronSpec(mode, tauRc, tauRef, gain, biasOffset, amplitude, mode.equals(MODE_LIF) ? 0 : gamma);
    }

    /** A copy with another training-noise sigma. */
    public SoftLifActivation withSigma(double newSigma) {
        return new SoftLifActivation(mode, tauRc, tauRef, gain, biasOffset, amplitude, gamma, newSigma);
    }

    private void validate() {
        if (!MODE_SOFTLIF.equals(mode) && !MODE_LIF.equals(mode)) {
            throw new IllegalArgumentException("mode must be softlif or lif, got " + mode);
        }
        if (!(tauRc > 0) || !(tauRef >= 0) || !(gain > 0) || !(amplitude > 0) || !(sigma >= 0)) {
            throw new IllegalArgumentException("bad LIF parameters: " + this);
        }
        if (MODE_SOFTLIF.equals(mode) && !(gamma > 0)) {
            throw new IllegalArgumentException("softlif needs gamma > 0: " + this);
        }
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        INDArray firing = training && sigma > 0 ? Transforms.step(in.mul(gain).addi(biasOffset - 1.0), false) : null;
        INDArray rate = MODE_LIF.equals(mode) ? hardRate(in, null) : softRate(in, null);
        in.assign(rate.muli(amplitude));
        if (firing != null) {
            INDArray noise = Nd4j.randn(in.dataType(), in.ordering(), in.shape());
            in.addi(noise.muli(firing).muli(amplitude * sigma));
            Transforms.max(in, 0.0, false);
        }
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray[] deriv = new INDArray[1];
        if (MODE_LIF.equals(mode)) {
            hardRate(in, deriv);
        } else {
            softRate(in, deriv);
        }
        INDArray dLdz = in.assign(deriv[0]).muli(epsilon);
        return new Pair<>(dLdz, null);
    }

    /**
     * Copy of {@code x} in double precision: the rate needs log1p of tiny arguments, and libnd4j's Log1p is
     * {@code log(1 + w)} (float32 log1p(2e-9) = 0), which in double is accurate enough here. The op count, not
     * the element width, dominates the cost of these element-wise passes.
     */
    private static INDArray doubleCopy(INDArray x) {
        INDArray d = x.castTo(DataType.DOUBLE);
        return d == x ? x.dup() : d;
    }

    /**
     * Soft rate r in Hz (new double array); if {@code deriv != null}, deriv[0] = d(amplitude*r)/dx (double).
     * {@code x} is not modified.
     */
    private INDArray softRate(INDArray x, INDArray[] deriv) {
        INDArray z = doubleCopy(x).muli(gain / gamma).addi((biasOffset - 1.0) / gamma);
        double zMin = z.minNumber().doubleValue();
        INDArray zc = zMin < Z_TAIL ? Transforms.max(z, Z_TAIL, true) : z;
        // p = gamma * softplus(zc) = gamma * (max(zc, 0) + log1p(exp(-|zc|)))
        INDArray p = Transforms.abs(zc, true).negi();
        Transforms.exp(p, false);
        Transforms.log1p(p, false).addi(Transforms.max(zc, 0.0, true)).muli(gamma);
        // L = log1p(1/p) at zc, plus (zc - z) for the asymptotic tail below Z_TAIL
        INDArray r = Transforms.log1p(p.rdiv(1.0), false);
        if (zc != z) {
            r.addi(zc.sub(z)); // exactly 0 above Z_TAIL (adding zc then subtracting z would cost precision)
        }
        r.muli(tauRc).addi(tauRef).rdivi(1.0);
        double zZero = zeroBelow();
        if (zMin < zZero) {
            r.muli(Transforms.step(z.sub(zZero), false));
        }
        if (deriv != null) {
            // amplitude*gain*tauRc * r^2 * sigmoid(zc) / (p (p + 1)); r is already 0 where the rate is
            INDArray d = Transforms.sigmoid(zc, true);
            d.divi(p.add(1.0).muli(p));
            d.muli(r).muli(r).muli(amplitude * gain * tauRc);
            deriv[0] = d;
        }
        return r;
    }

    /** Hard rate (0 at or below threshold) and optionally its derivative, as {@link #softRate}. */
    private INDArray hardRate(INDArray x, INDArray[] deriv) {
        INDArray pr = doubleCopy(x).muli(gain).addi(biasOffset - 1.0);
        INDArray mask = Transforms.step(pr, true);
        // p where firing, 1 elsewhere (keeps 1/p and p(p+1) finite), then masked
        INDArray ps = pr.muli(mask).addi(mask.rsub(1.0));
        INDArray r = Transforms.log1p(ps.rdiv(1.0), false);
        r.muli(tauRc).addi(tauRef).rdivi(1.0).muli(mask);
        if (deriv != null) {
            INDArray d = ps.add(1.0).muli(ps).rdivi(amplitude * gain * tauRc);
            d.muli(r).muli(r);
            deriv[0] = d;
        }
        return r;
    }

    /**
     * The z below which the node's double-precision soft rate ({@link LifRate#softRate}) is exactly 0 (its
     * {@code 1/p} overflows), found by bisection; about -708 for gamma = 0.02.
     */
    private double zeroBelow() {
        double lo = -2000.0, hi = 0.0; // rate(lo) == 0, rate(hi) > 0
        for (int i = 0; i < 60; i++) {
            double mid = 0.5 * (lo + hi);
            if (LifRate.softRate(1.0 + mid * gamma, tauRc, tauRef, gamma) > 0.0) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    public String getMode() {
        return mode;
    }

    public double getTauRc() {
        return tauRc;
    }

    public double getTauRef() {
        return tauRef;
    }

    public double getGain() {
        return gain;
    }

    public double getBiasOffset() {
        return biasOffset;
    }

    public double getAmplitude() {
        return amplitude;
    }

    public double getGamma() {
        return gamma;
    }

    public double getSigma() {
        return sigma;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SoftLifActivation a)) {
            return false;
        }
        return mode.equals(a.mode) && tauRc == a.tauRc && tauRef == a.tauRef && gain == a.gain
                && biasOffset == a.biasOffset && amplitude == a.amplitude && gamma == a.gamma && sigma == a.sigma;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, tauRc, tauRef, gain, biasOffset, amplitude, gamma, sigma);
    }

    @Override
    public String toString() {
        return mode + "(tauRc=" + tauRc + ", tauRef=" + tauRef + ", gain=" + gain + ", biasOffset=" + biasOffset
                + ", amplitude=" + amplitude + ", gamma=" + gamma + ", sigma=" + sigma + ")";
    }
}
