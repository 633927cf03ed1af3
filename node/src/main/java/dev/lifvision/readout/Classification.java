package dev.lifvision.readout;

/**
 * The decision for one frame. Mutable and reused frame after frame by its owner (no allocation per
 * frame): copy what must outlive the next {@link Readout#read} into it. Get one sized for a readout
 * with {@link Readout#newClassification()}.
 *
 * <p>Scores are softmax probabilities of the mean outputs (see {@link ReadoutSettings#temperature()}).
 */
public final class Classification {
    /** Label written for frames below the thresholds. */
    public static final String UNKNOWN = "unknown";

    /** The label, or {@link #UNKNOWN} when the frame did not pass the thresholds. */
    public String label = UNKNOWN;
    /** Index of the label in the model's labels, -1 for unknown. */
    public int classId = -1;
    /** Softmax score of the top class (p1), whether or not it was accepted. */
    public double score;
    /** p1 - p2 (p2 = 0 for a one-class model). */
    public double margin;
    /** Class indices of the best {@link #topCount} classes, best first (ties: lower index first). */
    public final int[] topIds;
    /** Their softmax scores. */
    public final double[] topScores;
    /** Valid entries in {@link #topIds} and {@link #topScores}. */
    public int topCount;
    /** The top class's label even when the frame is unknown (null before the first read). */
    public String bestLabel;

    /** @param capacity room for the top list: at least min(topK, number of classes) of the readout that fills it */
    public Classification(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("top list capacity must be >= 1, got " + capacity);
        }
        topIds = new int[capacity];
        topScores = new double[capacity];
    }

    /** Whether the frame got a label (not unknown). */
    public boolean known() {
        return classId >= 0;
    }

    /** Copies everything from {@code other} (whose top list must fit in this one). */
    public void copyFrom(Classification other) {
        if (other.topCount > topIds.length) {
            throw new IllegalArgumentException("top list of " + other.topCount + " does not fit in " + topIds.length);
        }
        label = other.label;
        classId = other.classId;
        score = other.score;
        margin = other.margin;
        topCount = other.topCount;
        bestLabel = other.bestLabel;
        System.arraycopy(other.topIds, 0, topIds, 0, other.topCount);
        System.arraycopy(other.topScores, 0, topScores, 0, other.topCount);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(label).append(" (").append(String.format("%.3f", score))
                .append(", margin ").append(String.format("%.3f", margin)).append("; top");
        for (int i = 0; i < topCount; i++) {
            b.append(' ').append(topIds[i]).append('=').append(String.format("%.3f", topScores[i]));
        }
        return b.append(')').toString();
    }
}
