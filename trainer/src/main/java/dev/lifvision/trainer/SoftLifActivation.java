package dev.lifvision.trainer;

import dev.lifvision.bundle.NeuronSpec;
import dev.lifvision.bundle.SynapseSpec;
import dev.lifvision.neuron.LifRate;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The (soft) LIF rate activation of a pre-activation {@code x} as a DL4J activation:
 * {@code amplitude * r(gain * x + biasOffset)}, the same function as the node's
 * {@link dev.lifvision.neuron.NeuronModel} (see {@link LifRate}), with a hand-written backward
 * pass, both computed in one fused pass over the array (see {@link #apply}).
 *
 * <p>Mode {@code softlif}: {@code r(j) = 1/(tauRef + tauRc*log1p(1/p))}, {@code p = gamma*softplus(z)},
 * {@code z = (j-1)/gamma}, softplus in the stable form {@code max(z,0) + log1p(exp(-|z|))} (libnd4j's own
 * softplus overflows in float32 here). Far below threshold the rate decays only like 1/|z| and stays
 * positive, as the node's does. Derivative: {@code amplitude*gain * r^2*tauRc*sigmoid(z)/(p(p+1))}. Mode
 * {@code lif}: the hard rate (0 for {@code j <= 1}) and its derivative (unbounded just above threshold;
 * for ablations only).
 *
 * <p>Training noise ({@code sigma > 0}, only in {@code getActivation(in, true)}): Gaussian noise with std
 * {@code amplitude*sigma}, drawn from ND4J's seeded generator, is added where the neuron fires ({@code j > 1},
 * hard threshold), then the output is clipped at 0. The backward pass is that of the clean rate (noise
 * treated as independent of {@code x}; DL4J recomputes the derivative from the pre-activation).
 *
 * <p>Spike-train noise ({@code noise = "spikes:alpha:0.005"} or {@code "spikes:lowpass:TAU"}; the thesis'
 * refinement, reference section 2): a firing unit's output is what the next layer sees from its spikes, a
 * regular train at the unit's rate {@code r} filtered by that synapse, sampled at a uniformly random phase
 * of the inter-spike interval (steady state, closed form in {@link #filteredSpikeTrain}). Its mean is
 * {@code r}, so it is zero-mean noise on the rate, and its spread follows the rate as the spiking net's does:
 * large at low rates (a 20 Hz unit behind a 5 ms alpha synapse sees a pulse every 50 ms and near nothing
 * between), small at high ones. {@code sigma} is not used then. The membrane's own filtering of that
 * signal in the next layer is not modelled.
 */
public class SoftLifActivation extends BaseActivationFunction {
    private static final long serialVersionUID = 1L;

    public static final String MODE_SOFTLIF = "softlif";
    public static final String MODE_LIF = "lif";

    @JsonProperty private String mode = MODE_SOFTLIF;
    @JsonProperty private double tauRc = 0.022;
    @JsonProperty private double tauRef = 0.002;
    @JsonProperty private double gain = 1.0;
    @JsonProperty private double biasOffset = 1.0;
    @JsonProperty private double amplitude = 0.063;
    @JsonProperty private double gamma = 0.02;
    @JsonProperty private double sigma = 10.0;
    /** {@value #NOISE_GAUSSIAN} or {@code spikes:SYNAPSE} (checkpoints from before it read as Gaussian). */
    @JsonProperty private String noise = NOISE_GAUSSIAN;

    public static final String NOISE_GAUSSIAN = "gaussian";
    private static final String NOISE_SPIKES = "spikes:";

    /** MNIST parameters, soft LIF, sigma 10 (also the JSON constructor). */
    public SoftLifActivation() {
    }

    public SoftLifActivation(String mode, double tauRc, double tauRef, double gain, double biasOffset,
                             double amplitude, double gamma, double sigma) {
        this(mode, tauRc, tauRef, gain, biasOffset, amplitude, gamma, sigma, NOISE_GAUSSIAN);
    }

    /** {@code noise}: {@value #NOISE_GAUSSIAN} (std {@code amplitude*sigma}) or {@code spikes:alpha:TAU} / {@code spikes:lowpass:TAU}. */
    public SoftLifActivation(String mode, double tauRc, double tauRef, double gain, double biasOffset,
                             double amplitude, double gamma, double sigma, String noise) {
        this.noise = noise;
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
        return of(spec, sigma, NOISE_GAUSSIAN);
    }

    /** As {@link #of(NeuronSpec, double)} with a noise model: {@value #NOISE_GAUSSIAN} or {@code spikes:SYNAPSE}. */
    public static SoftLifActivation of(NeuronSpec spec, double sigma, String noise) {
        if (!spec.type().equals(MODE_SOFTLIF) && !spec.type().equals(MODE_LIF)) {
            throw new IllegalArgumentException("not a LIF neuron type: " + spec.type());
        }
        return new SoftLifActivation(spec.type(), spec.tauRc(), spec.tauRef(), spec.gain(), spec.biasOffset(),
                spec.amplitude(), spec.gamma(), sigma, noise);
    }

    /** The node spec this activation computes (noise is a training-only setting and not part of it). */
    public NeuronSpec toNeuronSpec() {
        return new NeuronSpec(mode, tauRc, tauRef, gain, biasOffset, amplitude, mode.equals(MODE_LIF) ? 0 : gamma);
    }

    /** A copy with another training-noise sigma. */
    public SoftLifActivation withSigma(double newSigma) {
        return new SoftLifActivation(mode, tauRc, tauRef, gain, biasOffset, amplitude, gamma, newSigma, noise);
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
        noiseSynapse();
    }

    /**
     * The synapse of spike-train noise, null for Gaussian noise.
     *
     * @throws IllegalArgumentException naming the value when it is neither form
     */
    static SynapseSpec parseNoise(String noise) {
        if (noise == null || noise.equals(NOISE_GAUSSIAN)) {
            return null;
        }
        if (noise.startsWith(NOISE_SPIKES)) {
            try {
                SynapseSpec s = SynapseSpec.parse(noise.substring(NOISE_SPIKES.length()));
                if (!s.type().equals("none")) {
                    return s;
                }
            } catch (IllegalArgumentException ignored) {
                // the common message below
            }
        }
        throw new IllegalArgumentException("noise \"" + noise + "\": expected " + NOISE_GAUSSIAN
                + " or spikes:alpha:<tau s> / spikes:lowpass:<tau s>, e.g. spikes:alpha:0.005");
    }

    private SynapseSpec noiseSynapse() {
        return parseNoise(noise);
    }

    /**
     * The steady-state value (Hz) of a regular spike train of {@code rate} Hz, each spike of unit area,
     * filtered by a first-order low-pass ({@code alpha} false) or an alpha synapse {@code t/tau^2 exp(-t/tau)}
     * with time constant {@code tau}, at phase {@code u} (0 = the spike, 1 = just before the next) of the
     * interval. Summing the kernel over all earlier spikes, with {@code T = 1/rate}, {@code q = exp(-T/tau)}
     * and {@code t = u*T}: low-pass {@code exp(-t/tau) / (tau (1-q))}; alpha
     * {@code exp(-t/tau)/tau^2 * (t/(1-q) + T q/(1-q)^2)}. Its mean over {@code u} is {@code rate}.
     */
    static double filteredSpikeTrain(double rate, double u, double tau, boolean alpha) {
        if (!(rate > 0.0)) {
            return 0.0;
        }
        double period = 1.0 / rate;
        double a = period / tau;
        double q = Math.exp(-a);
        double oneMinusQ = a < 1e-3 ? a * (1.0 - a * (0.5 - a / 6.0)) : 1.0 - q;
        double t = u * period;
        double decay = Math.exp(-t / tau);
        if (!alpha) {
            return decay / (tau * oneMinusQ);
        }
        return decay / (tau * tau) * (t / oneMinusQ + period * q / (oneMinusQ * oneMinusQ));
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        SynapseSpec spikes = training ? noiseSynapse() : null;
        INDArray draws = null;
        if (spikes != null) {
            draws = Nd4j.rand(in.dataType(), in.ordering(), in.shape()); // phases, uniform in [0, 1)
        } else if (training && sigma > 0) {
            draws = Nd4j.randn(in.dataType(), in.ordering(), in.shape());
        }
        return apply(in, draws, spikes, null);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        return new Pair<>(apply(in, null, null, epsilon), null);
    }

    /**
     * One fused pass over the elements, in place: the activation (plus Gaussian noise where firing,
     * clipped at 0; or, with {@code spikes}, the filtered spike train at phases {@code noise}) or, with
     * {@code epsilon}, {@code epsilon * d activation / dx}. Written as a Java loop over the raw buffer
     * because the same function as some twenty ND4J element-wise ops cost more than half of a training
     * step (measured: 1.33 s per batch of the paper MNIST net against 0.62 s with ReLU). Computed in
     * double, like the node's {@link LifRate}, whose values it matches to 1e-5.
     */
    private INDArray apply(INDArray in, INDArray noise, SynapseSpec spikes, INDArray epsilon) {
        boolean direct = plain(in) && (noise == null || plain(noise) && noise.ordering() == in.ordering())
                && (epsilon == null || plain(epsilon) && epsilon.ordering() == in.ordering());
        if (!direct) {
            INDArray x = in.dup(in.ordering());
            INDArray n = noise == null ? null : noise.dup(in.ordering());
            INDArray e = epsilon == null ? null : epsilon.dup(in.ordering());
            return in.assign(apply(x, n, spikes, e));
        }
        int n = (int) in.length();
        boolean isDouble = in.dataType() == DataType.DOUBLE;
        if (!isDouble && in.dataType() != DataType.FLOAT) {
            return in.assign(apply(in.castTo(DataType.FLOAT), noise == null ? null : noise.castTo(DataType.FLOAT), spikes,
                    epsilon == null ? null : epsilon.castTo(DataType.FLOAT)));
        }
        Elements x = Elements.of(in);
        Elements nz = noise == null ? null : Elements.of(noise);
        Elements ep = epsilon == null ? null : Elements.of(epsilon);
        int chunks = n < 32_768 ? 1 : Runtime.getRuntime().availableProcessors();
        boolean alpha = spikes != null && spikes.type().equals("alpha");
        double tau = spikes == null ? 0.0 : spikes.tau();
        java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            double noiseStd = amplitude * sigma;
            for (int i = from; i < to; i++) {
                double xi = x.get(i);
                double out;
                if (ep != null) {
                    out = ep.get(i) * derivative(xi);
                } else {
                    double r = rate(xi);
                    out = amplitude * r;
                    if (nz != null && gain * xi + biasOffset > 1.0) {
                        out = spikes != null ? amplitude * filteredSpikeTrain(r, nz.get(i), tau, alpha)
                                : Math.max(0.0, out + noiseStd * nz.get(i));
                    }
                }
                x.set(i, out);
            }
        });
        return in;
    }

    /** Contiguous, not a view: element i of the buffer is element i of the array in its own order. */
    private static boolean plain(INDArray a) {
        return !a.isView() && a.elementWiseStride() == 1 && a.length() <= a.data().length();
    }

    /** Float or double element access to an array's buffer. */
    private interface Elements {
        double get(int i);

        void set(int i, double v);

        static Elements of(INDArray a) {
            int off = (int) a.offset();
            if (a.dataType() == DataType.DOUBLE) {
                java.nio.DoubleBuffer b = a.data().asNioDouble();
                return new Elements() {
                    public double get(int i) {
                        return b.get(off + i);
                    }

                    public void set(int i, double v) {
                        b.put(off + i, v);
                    }
                };
            }
            java.nio.FloatBuffer b = a.data().asNioFloat();
            return new Elements() {
                public double get(int i) {
                    return b.get(off + i);
                }

                public void set(int i, double v) {
                    b.put(off + i, (float) v);
                }
            };
        }
    }

    /** Rate in Hz of pre-activation x (not scaled by amplitude). */
    double rate(double x) {
        double j = gain * x + biasOffset;
        if (MODE_LIF.equals(mode)) {
            double p = j - 1.0;
            return p > 0.0 ? 1.0 / (tauRef + tauRc * ln1p(1.0 / p)) : 0.0;
        }
        double z = (j - 1.0) / gamma;
        double p = gamma * softplus(z);
        return p > 0.0 ? 1.0 / (tauRef + tauRc * ln1p(1.0 / p)) : 0.0;
    }

    /** max(z,0) + log1p(exp(-|z|)); beyond |z| = 36 the correction is below double precision, so skipped. */
    static double softplus(double z) {
        if (z > 36.0) {
            return z;
        }
        if (z < -36.0) {
            return Math.exp(z);
        }
        return Math.max(z, 0.0) + ln1p(Math.exp(-Math.abs(z)));
    }

    /** d (amplitude * rate) / dx. */
    double derivative(double x) {
        double j = gain * x + biasOffset;
        if (MODE_LIF.equals(mode)) {
            double p = j - 1.0;
            if (p <= 0.0) {
                return 0.0;
            }
            double r = 1.0 / (tauRef + tauRc * ln1p(1.0 / p));
            return amplitude * gain * r * r * tauRc / (p * (p + 1.0));
        }
        double z = (j - 1.0) / gamma;
        double e = Math.exp(-Math.abs(z));
        double p = gamma * (Math.max(z, 0.0) + ln1p(e));
        if (p <= 0.0) {
            return 0.0;
        }
        double r = 1.0 / (tauRef + tauRc * ln1p(1.0 / p));
        // sigmoid(z) / p tends to 1/gamma far below threshold, where both vanish
        double sigmoid = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        double sigmoidOverP = z < -30.0 ? 1.0 / gamma : sigmoid / p;
        return amplitude * gain * r * r * tauRc * sigmoidOverP / (p + 1.0);
    }

    /**
     * log(1 + u) for u >= 0 with Math.log (an intrinsic) instead of Math.log1p (several times
     * slower): a short series where 1 + u would lose u's digits, relative error below 1e-12.
     */
    static double ln1p(double u) {
        if (u < 1e-4) {
            return u * (1.0 - u * (0.5 - u * (1.0 / 3.0 - u * 0.25)));
        }
        return Math.log(1.0 + u);
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

    public String getNoise() {
        return noise;
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
                && biasOffset == a.biasOffset && amplitude == a.amplitude && gamma == a.gamma && sigma == a.sigma
                && Objects.equals(noise, a.noise);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, tauRc, tauRef, gain, biasOffset, amplitude, gamma, sigma, noise);
    }

    @Override
    public String toString() {
        return mode + "(tauRc=" + tauRc + ", tauRef=" + tauRef + ", gain=" + gain + ", biasOffset=" + biasOffset
                + ", amplitude=" + amplitude + ", gamma=" + gamma + ", sigma=" + sigma + ", noise=" + noise + ")";
    }
}
