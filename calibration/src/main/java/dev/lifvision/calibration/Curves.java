package dev.lifvision.calibration;

import dev.lifvision.neuron.NeuronModel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Error against readout start t_c and presentation time t_p for every synapse setting of a
 * {@link Measurement}, computed from its per-step traces exactly as the spiking simulator would
 * answer a presentation of t_p with readout [t_c, t_p]: the same float sums in the same order, the
 * same division and output activation, the same tie rule.
 */
final class Curves {
    final Measurement m;
    /** Grid in steps: readout start (first readout step) and presentation (steps). */
    final int[] tc, tp;
    /** [setting][tc][tp] errors against the labels; -1 where t_c >= t_p. */
    final int[][][] errors;
    /** [setting][tc][tp] images where the SNN's class differs from the ANN's. */
    final int[][][] disagree;
    /** [setting][tp] mean synaptic events per image up to t_p. */
    final double[][] meanEvents;
    final int annErrors;

    private Curves(Measurement m, int[] tc, int[] tp) {
        this.m = m;
        this.tc = tc.clone();
        this.tp = tp.clone();
        int nSyn = m.synapses.size();
        errors = new int[nSyn][tc.length][tp.length];
        disagree = new int[nSyn][tc.length][tp.length];
        meanEvents = new double[nSyn][tp.length];
        int ae = 0;
        for (int i = 0; i < m.images(); i++) {
            if (m.annPred[i] != m.labels[i]) {
                ae++;
            }
        }
        annErrors = ae;
    }

    double annError() {
        return (double) annErrors / m.images();
    }

    double error(int s, int c, int p) {
        return errors[s][c][p] < 0 ? Double.NaN : (double) errors[s][c][p] / m.images();
    }

    /** Neuron updates per image for a presentation of {@code steps} steps (output layer included). */
    long neuronUpdates(int steps) {
        return steps * m.net.neurons();
    }

    /** Energy in the 2016 model, FLOP-equivalents per image, at grid presentation index p. */
    double energy(int s, int p) {
        return 0.08 * meanEvents[s][p] + 0.25 * neuronUpdates(tp[p]);
    }

    static Curves compute(Measurement m, int[] tc, int[] tp, int threads) throws InterruptedException {
        Curves c = new Curves(m, tc, tp);
        int n = m.images();
        int workers = Math.max(1, Math.min(threads, n));
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<int[][][][]>> parts = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                int from = (int) ((long) n * w / workers);
                int to = (int) ((long) n * (w + 1) / workers);
                parts.add(pool.submit(() -> c.count(from, to)));
            }
            for (Future<int[][][][]> f : parts) {
                int[][][][] r = f.get();
                for (int s = 0; s < c.errors.length; s++) {
                    for (int a = 0; a < tc.length; a++) {
                        for (int b = 0; b < tp.length; b++) {
                            c.errors[s][a][b] += r[0][s][a][b];
                            c.disagree[s][a][b] += r[1][s][a][b];
                        }
                    }
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        for (int s = 0; s < c.errors.length; s++) {
            for (int a = 0; a < tc.length; a++) {
                for (int b = 0; b < tp.length; b++) {
                    if (tc[a] >= tp[b]) {
                        c.errors[s][a][b] = -1;
                        c.disagree[s][a][b] = -1;
                    }
                }
            }
            for (int b = 0; b < tp.length; b++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += m.events[s][i][tp[b] - 1];
                }
                c.meanEvents[s][b] = sum / n;
            }
        }
        return c;
    }

    private int[][][][] count(int from, int to) {
        int nSyn = m.synapses.size();
        int[][][] err = new int[nSyn][tc.length][tp.length];
        int[][][] dis = new int[nSyn][tc.length][tp.length];
        NeuronModel act = m.net.stage(m.net.stageCount() - 1).rateModel();
        float[] sum = new float[m.nOut];
        for (int i = from; i < to; i++) {
            for (int s = 0; s < nSyn; s++) {
                float[] tr = m.trace[s][i];
                for (int a = 0; a < tc.length; a++) {
                    int first = tc[a];
                    java.util.Arrays.fill(sum, 0f);
                    int p = 0;
                    while (p < tp.length && tp[p] <= first) {
                        p++;
                    }
                    for (int t = first; t < m.maxSteps && p < tp.length; t++) {
                        int off = t * m.nOut;
                        for (int o = 0; o < m.nOut; o++) {
                            sum[o] += tr[off + o];
                        }
                        while (p < tp.length && tp[p] == t + 1) {
                            int cls = argmax(sum, t - first + 1, act);
                            if (cls != m.labels[i]) {
                                err[s][a][p]++;
                            }
                            if (cls != m.annPred[i]) {
                                dis[s][a][p]++;
                            }
                            p++;
                        }
                    }
                }
            }
        }
        return new int[][][][]{err, dis};
    }

    /** The simulator's class for a running sum over {@code readout} steps. */
    static int argmax(float[] sum, int readout, NeuronModel act) {
        int best = 0;
        float bestV = (float) act.activation(sum[0] / readout);
        for (int o = 1; o < sum.length; o++) {
            float v = (float) act.activation(sum[o] / readout);
            if (v > bestV) {
                best = o;
                bestV = v;
            }
        }
        return best;
    }

    /**
     * The simulator's class for image {@code i}, setting {@code s}, readout steps
     * {@code first .. last} inclusive (any window inside the measured time, not only grid points).
     */
    static int predict(Measurement m, int s, int i, int first, int last) {
        NeuronModel act = m.net.stage(m.net.stageCount() - 1).rateModel();
        float[] sum = new float[m.nOut];
        float[] tr = m.trace[s][i];
        for (int t = first; t <= last; t++) {
            for (int o = 0; o < m.nOut; o++) {
                sum[o] += tr[t * m.nOut + o];
            }
        }
        return argmax(sum, last - first + 1, act);
    }
}
