package dev.lifvision.eval;

import dev.lifvision.network.FrameResult;

/** Counts accumulated by an {@link Evaluator} run. */
public final class EvalResult {
    /** confusion[true][predicted]. */
    public final long[][] confusion;
    public final long[] spikesPerLayer;
    public long frames, errors, synapticEvents, neuronUpdates, steps, readoutSteps;
    /** Time spent inside the backend, summed over threads. */
    /** Steps simulated, summed over frames (below frames x steps when early decision ended presentations). */
    public long stepsRun;
    public long networkNanos;
    public long wallNanos;
    public int threads;
    public double energyFlops;

    EvalResult(int classes, int layers) {
        confusion = new long[classes][classes];
        spikesPerLayer = new long[layers];
    }

    void add(int truth, FrameResult fr) {
        int predicted = fr.argmax();
        confusion[truth][predicted]++;
        frames++;
        if (predicted != truth) {
            errors++;
        }
        for (int k = 0; k < spikesPerLayer.length; k++) {
            spikesPerLayer[k] += fr.spikes[k];
        }
        synapticEvents += fr.synapticEvents;
        neuronUpdates += fr.neuronUpdates;
        energyFlops += fr.energyFlops();
        steps = fr.steps;
        readoutSteps = fr.readoutSteps;
        stepsRun += fr.steps;
    }

    void merge(EvalResult o) {
        for (int i = 0; i < confusion.length; i++) {
            for (int j = 0; j < confusion.length; j++) {
                confusion[i][j] += o.confusion[i][j];
            }
        }
        for (int k = 0; k < spikesPerLayer.length; k++) {
            spikesPerLayer[k] += o.spikesPerLayer[k];
        }
        frames += o.frames;
        errors += o.errors;
        synapticEvents += o.synapticEvents;
        neuronUpdates += o.neuronUpdates;
        energyFlops += o.energyFlops;
        networkNanos += o.networkNanos;
        stepsRun += o.stepsRun;
        if (o.steps > 0) {
            steps = o.steps;
            readoutSteps = o.readoutSteps;
        }
    }

    public double errorRate() {
        return frames == 0 ? 0 : (double) errors / frames;
    }

    public double perFrame(double total) {
        return frames == 0 ? 0 : total / frames;
    }
}
