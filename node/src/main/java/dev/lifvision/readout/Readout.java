package dev.lifvision.readout;

import dev.lifvision.network.FrameResult;
import java.util.List;

/**
 * Turns the mean outputs of a frame into a {@link Classification}: softmax(output / temperature),
 * the top-k classes, the margin p1 - p2, and the decision: the top class's label when p1 reaches the
 * threshold for that class ({@link ReadoutSettings#thresholdFor}) and the margin reaches
 * {@link ReadoutSettings#minMargin()}, else {@link Classification#UNKNOWN} (classId -1). The top list
 * keeps the real classes either way.
 *
 * <p>Not thread-safe: one per worker thread. {@link #read} allocates nothing.
 *
 * <p>Non-finite outputs: NaN entries get score 0; if any output is +infinity, the +infinity entries
 * share the probability equally. If every output is NaN the frame is unknown with score 0 and an
 * empty top list; {@link Classification#bestLabel} is then null.
 */
public final class Readout {
    private final List<String> labels;
    private final ReadoutSettings settings;
    private final double[] thresholds;
    private final double[] probs;
    private final int k;

    /**
     * @throws IllegalArgumentException if there are no labels or a per-class threshold names no label
     */
    public Readout(List<String> labels, ReadoutSettings settings) {
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("the model has no labels");
        }
        settings.checkLabels(labels);
        this.labels = List.copyOf(labels);
        this.settings = settings;
        int n = this.labels.size();
        thresholds = new double[n];
        for (int i = 0; i < n; i++) {
            thresholds[i] = settings.thresholdFor(this.labels.get(i));
        }
        probs = new double[n];
        k = Math.min(settings.topK(), n);
    }

    public List<String> labels() {
        return labels;
    }

    public ReadoutSettings settings() {
        return settings;
    }

    /** Length of the top list this readout fills: min(topK, number of classes). */
    public int topK() {
        return k;
    }

    /** A result object sized for this readout, to be reused frame after frame. */
    public Classification newClassification() {
        return new Classification(k);
    }

    /** {@link #read(float[], Classification)} of the frame's mean outputs. */
    public void read(FrameResult frame, Classification into) {
        read(frame.output, into);
    }

    /**
     * Classifies one frame's mean outputs.
     *
     * @param output one value per label
     * @param into   filled in; its top list must hold {@link #topK()} entries
     * @throws IllegalArgumentException if the sizes do not match
     */
    public void read(float[] output, Classification into) {
        int n = probs.length;
        if (output.length != n) {
            throw new IllegalArgumentException("output has " + output.length + " values for " + n + " labels");
        }
        if (into.topIds.length < k) {
            throw new IllegalArgumentException("classification holds a top " + into.topIds.length + ", need " + k);
        }
        double max = Double.NEGATIVE_INFINITY;
        boolean any = false;
        for (float v : output) {
            if (!Float.isNaN(v)) {
                any = true;
                if (v > max) {
                    max = v;
                }
            }
        }
        if (!any) {
            into.label = Classification.UNKNOWN;
            into.classId = -1;
            into.score = 0;
            into.margin = 0;
            into.topCount = 0;
            into.bestLabel = null;
            return;
        }
        double sum = 0;
        if (max == Double.POSITIVE_INFINITY || max == Double.NEGATIVE_INFINITY) {
            // Degenerate: all mass on the entries equal to max (all +inf, or all -inf = no preference).
            for (int i = 0; i < n; i++) {
                double p = output[i] == max ? 1 : 0;
                probs[i] = p;
                sum += p;
            }
        } else {
            double invT = 1.0 / settings.temperature();
            for (int i = 0; i < n; i++) {
                float v = output[i];
                double p = Float.isNaN(v) ? 0 : Math.exp((v - max) * invT);
                probs[i] = p;
                sum += p;
            }
        }
        double inv = 1.0 / sum; // >= 1 term is exp(0) = 1, so sum >= 1
        for (int i = 0; i < n; i++) {
            probs[i] *= inv;
        }
        selectTop(into);
        int best = into.topIds[0];
        double p1 = into.topScores[0];
        double p2 = k > 1 ? into.topScores[1] : secondBest(best);
        into.score = p1;
        into.margin = p1 - p2;
        into.bestLabel = labels.get(best);
        if (p1 >= thresholds[best] && into.margin >= settings.minMargin()) {
            into.label = into.bestLabel;
            into.classId = best;
        } else {
            into.label = Classification.UNKNOWN;
            into.classId = -1;
        }
    }

    /** Partial selection of the k best (O(n k), no allocation); ties go to the lower index. */
    private void selectTop(Classification into) {
        int n = probs.length;
        int[] ids = into.topIds;
        double[] sc = into.topScores;
        int count = 0;
        for (int i = 0; i < n; i++) {
            double p = probs[i];
            if (count < k) {
                count++;
            } else if (!(p > sc[k - 1])) {
                continue;
            }
            int j = count - 1;
            while (j > 0 && p > sc[j - 1]) {
                ids[j] = ids[j - 1];
                sc[j] = sc[j - 1];
                j--;
            }
            ids[j] = i;
            sc[j] = p;
        }
        into.topCount = count;
    }

    /** p2 when the top list holds one entry: the best score among the other classes (0 if none). */
    private double secondBest(int best) {
        double p2 = 0;
        for (int i = 0; i < probs.length; i++) {
            if (i != best && probs[i] > p2) {
                p2 = probs[i];
            }
        }
        return p2;
    }
}
