package dev.lifvision.service;

import dev.lifvision.capture.Camera;
import dev.lifvision.capture.CameraFrame;
import dev.lifvision.config.NodeConfig.CameraConfig;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.network.FrameResult;
import dev.lifvision.network.Simulator;
import dev.lifvision.readout.Classification;
import dev.lifvision.readout.Readout;
import dev.lifvision.readout.ReadoutSettings;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The inference loop of one camera: newest frame -> preprocess -> network -> readout -> publish.
 * Everything it touches per frame is preallocated; a new model is picked up between frames by
 * rebuilding the simulator, preprocessor and readout from the shared {@link LoadedModel}.
 */
final class CameraWorker implements Runnable {
    interface Sink {
        void classified(CameraWorker w, CameraFrame frame, Classification c, FrameResult r, LoadedModel m,
                        long captureNanos, long preprocessNanos, long networkNanos);

        void failed(CameraWorker w, String message, Exception e);
    }

    final CameraConfig config;
    final Camera camera;
    private final AtomicReference<LoadedModel> model;
    private final ReadoutSettings readoutSettings;
    private final Sink sink;
    volatile boolean detect;
    private volatile boolean running = true;
    private Thread thread;

    final AtomicLong classified = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final LatencyWindow totalLatency = new LatencyWindow(4096);
    final LatencyWindow networkLatency = new LatencyWindow(4096);
    private final RateMeter fpsOut = new RateMeter();

    private LoadedModel current;
    private Simulator sim;
    private Preprocessor pre;
    private Readout readout;
    private FrameResult result;
    private float[] input;
    private Classification classification;
    private final CameraFrame frame = new CameraFrame();

    CameraWorker(CameraConfig config, Camera camera, AtomicReference<LoadedModel> model, ReadoutSettings readout, Sink sink) {
        this.config = config;
        this.camera = camera;
        this.model = model;
        this.readoutSettings = readout;
        this.sink = sink;
        this.detect = config.detect();
    }

    String name() {
        return config.name();
    }

    double fpsOut() {
        return fpsOut.rate();
    }

    void start() {
        thread = new Thread(this, "infer-" + name());
        thread.setDaemon(true);
        thread.start();
    }

    void stop(long waitMillis) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(waitMillis);
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (!camera.take(frame, 200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                if (!detect) {
                    skipped.incrementAndGet();
                    continue;
                }
                process();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                // a bad frame or a model that fails on real input must not end the node
                errors.incrementAndGet();
                sink.failed(this, "camera " + name() + ", frame " + frame.id + ": " + e, e);
            }
        }
    }

    private void process() {
        LoadedModel m = model.get();
        if (m != current) {
            adopt(m);
        }
        long t0 = System.nanoTime();
        pre.apply(frame.pixels, 0, frame.height, frame.width, frame.channels, input);
        long t1 = System.nanoTime();
        sim.present(input, result);
        long t2 = System.nanoTime();
        readout.read(result.output, classification);
        sink.classified(this, frame, classification, result, m, t0 - frame.grabNanos, t1 - t0, t2 - t1);
        long done = System.nanoTime();
        classified.incrementAndGet();
        fpsOut.mark(done);
        totalLatency.record(done - frame.grabNanos);
        networkLatency.record(t2 - t1);
    }

    private void adopt(LoadedModel m) {
        sim = m.newSimulator();
        result = sim.newResult();
        pre = m.newPreprocessor(config.roi());
        input = new float[m.network().inputSize()];
        readout = new Readout(m.labels(), readoutSettings);
        classification = readout.newClassification();
        current = m;
    }

    /** Checks the readout thresholds against a model's labels before it is accepted. */
    static void checkLabels(ReadoutSettings s, List<String> labels) {
        s.checkLabels(labels);
    }

    static String iso(long wallMillis) {
        return Instant.ofEpochMilli(wallMillis).toString();
    }

    /** Events per second over roughly the last two seconds. */
    static final class RateMeter {
        private final long[] times = new long[256];
        private int n;
        private int head;

        synchronized void mark(long nanos) {
            times[head] = nanos;
            head = (head + 1) % times.length;
            n = Math.min(n + 1, times.length);
        }

        synchronized double rate() {
            if (n < 2) {
                return 0;
            }
            long now = System.nanoTime();
            long newest = times[(head - 1 + times.length) % times.length];
            if (now - newest > 2_000_000_000L) {
                return 0;
            }
            int used = 0;
            long oldest = newest;
            for (int i = 1; i <= n; i++) {
                long t = times[(head - i + times.length) % times.length];
                if (now - t > 2_000_000_000L) {
                    break;
                }
                oldest = t;
                used++;
            }
            return used < 2 ? 0 : (used - 1) / ((newest - oldest) / 1e9);
        }
    }
}
