package dev.lifvision.service;

import dev.lifvision.capture.Camera;
import dev.lifvision.capture.CameraFrame;
import dev.lifvision.capture.CameraState;
import dev.lifvision.capture.CameraStateChange;
import dev.lifvision.capture.FrameSources;
import dev.lifvision.config.NodeConfig;
import dev.lifvision.config.NodeConfig.CameraConfig;
import dev.lifvision.network.FrameResult;
import dev.lifvision.publish.EmbeddedBroker;
import dev.lifvision.publish.MqttTransport;
import dev.lifvision.publish.PahoTransport;
import dev.lifvision.readout.Classification;
import dev.lifvision.record.FieldRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The long-running node: cameras, one inference worker per camera, MQTT status/health/model/stats,
 * commands, hot model reload, field capture and optional Prometheus metrics. Built from a
 * {@link NodeConfig}; {@link #start()} fails only for what the user must fix (no model, a bad
 * config); everything at run time is logged, published and survived.
 */
public final class VisionNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VisionNode.class);
    private static final String ONLINE = "online";
    private static final String OFFLINE = "offline";

    private final NodeConfig cfg;
    private final PrintStream console;
    private final Topics topics;
    private final ModelLoader loader;
    private final AtomicReference<LoadedModel> model = new AtomicReference<>();
    private final List<CameraWorker> workers = new ArrayList<>();
    private final Map<String, CameraWorker> byName = new LinkedHashMap<>();
    private final Map<String, CameraStateChange> lastState = new java.util.concurrent.ConcurrentHashMap<>();
    private final ProcessStats process = new ProcessStats();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "node-scheduler"));
    private final ExecutorService modelExecutor = Executors.newSingleThreadExecutor(r -> daemon(r, "model-loader"));
    private final ThreadPoolExecutor captureExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(4), r -> daemon(r, "field-capture"), new ThreadPoolExecutor.DiscardPolicy());
    private final AtomicLong captureDropped = new AtomicLong();
    private final AtomicLong rejectedCommands = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final ThreadLocal<JsonOut> json = ThreadLocal.withInitial(JsonOut::new);

    private EmbeddedBroker broker;
    private MqttTransport mqtt;
    private FieldRecorder recorder;
    private MetricsServer metrics;
    private HomeAssistant homeAssistant;
    private volatile boolean closed;
    private long watchedStamp;
    private volatile long firstPublishNanos;

    public VisionNode(NodeConfig cfg, PrintStream console) {
        this.cfg = cfg;
        this.console = console;
        this.topics = new Topics(cfg.mqtt().base(cfg.nodeId()), cfg.mqtt().discoveryPrefix());
        this.loader = new ModelLoader(cfg.model());
    }

    public void start() throws IOException {
        LoadedModel m = loader.loadConfigured();
        cfg.readout().checkLabels(m.labels());
        model.set(m);
        log.info("model {} ({} labels, hash {}) backend={} steps={} dt={}s; {}", m.name(), m.labels().size(),
                m.hash().substring(0, 12), m.backend(), m.options().steps(), m.options().dt(), m.decisionNote());
        recorder = new FieldRecorder(cfg.capture());
        // Workers exist before the first connect, so its announcement (health, detect state, Home Assistant
        // discovery) covers every camera; they start after it, so their first classifications are not lost.
        for (CameraConfig cc : cfg.cameras()) {
            Camera cam = new Camera(cc.source(), () -> FrameSources.create(cc.source()), this::cameraChanged);
            CameraWorker w = new CameraWorker(cc, cam, model, cfg.readout(), new Sink());
            workers.add(w);
            byName.put(cc.name(), w);
        }
        if (cfg.mqtt().enabled()) {
            startMqtt();
        }
        for (CameraWorker w : workers) {
            w.camera.start();
            w.start();
        }
        long every = cfg.mqtt().statsInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::periodic, every, every, TimeUnit.MILLISECONDS);
        Path watched = loader.configuredFile();
        if (cfg.model().watch() && watched != null) {
            watchedStamp = stamp(watched);
            scheduler.scheduleWithFixedDelay(() -> watch(watched), 2, 2, TimeUnit.SECONDS);
        }
        if (cfg.metrics().enabled()) {
            metrics = MetricsServer.start(cfg.metrics(), this);
            log.info("metrics on http://{}:{}/metrics", cfg.metrics().bind(), metrics.port());
        }
        log.info("node {} started with {} camera(s)", cfg.nodeId(), workers.size());
    }

    private void startMqtt() throws IOException {
        if (cfg.mqtt().embedded()) {
            broker = EmbeddedBroker.start("127.0.0.1", cfg.mqtt().embeddedPort(), null);
            log.info("embedded MQTT broker on {}", broker.uri());
        }
        mqtt = new PahoTransport(cfg.mqtt().client());
        homeAssistant = new HomeAssistant(cfg, topics);
        java.util.concurrent.CountDownLatch firstConnect = new java.util.concurrent.CountDownLatch(1);
        mqtt.addConnectionListener(new MqttTransport.ConnectionListener() {
            @Override
            public void onConnected(boolean reconnect) {
                log.info("MQTT {} {}", reconnect ? "reconnected to" : "connected to", cfg.mqtt().client().broker());
                announce();
                firstConnect.countDown();
            }

            @Override
            public void onConnectionLost(Throwable cause) {
                log.warn("MQTT connection to {} lost: {}", cfg.mqtt().client().broker(), cause == null ? "closed" : cause.toString());
            }
        });
        Commands commands = new Commands();
        mqtt.subscribe(topics.base + "/+/set", 1, commands);
        mqtt.subscribe(topics.base + "/+/+/set", 1, commands);
        mqtt.subscribe(topics.modelReload(), 1, commands);
        mqtt.subscribe(topics.captureSnapshot(), 1, commands);
        if (cfg.mqtt().homeAssistant()) {
            mqtt.subscribe(topics.homeAssistantStatus(), 0, (t, p) -> {
                if (new String(p, StandardCharsets.UTF_8).trim().equalsIgnoreCase(ONLINE)) {
                    homeAssistant.publish(mqtt, model.get(), byName.keySet());
                }
            });
        }
        mqtt.start(new MqttTransport.Will(topics.status(), OFFLINE.getBytes(StandardCharsets.UTF_8), 1, true));
        // Classifications are QoS 0 and never buffered offline: without this wait the first frames of a run would
        // be classified before the connection is up and silently lost. A broker that is down must not hold the
        // cameras back for long, so the wait is bounded by the connect timeout.
        Duration wait = cfg.mqtt().client().connectTimeout();
        try {
            if (!firstConnect.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("MQTT broker {} not reached within {} ms; starting the cameras anyway (still retrying)",
                        cfg.mqtt().client().broker(), wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Everything retained, sent on every (re)connect: a broker restart without persistence forgets it. */
    private void announce() {
        publish(topics.status(), ONLINE, 1, true);
        publishModel(model.get());
        for (CameraWorker w : workers) {
            publishHealth(w);
            publish(topics.detectState(w.name()), w.detect ? "ON" : "OFF", 1, true);
        }
        publish(topics.captureState(), recorder.isEnabled() ? "ON" : "OFF", 1, true);
        if (cfg.mqtt().homeAssistant()) {
            homeAssistant.publish(mqtt, model.get(), byName.keySet());
        }
    }

    private void publish(String topic, String payload, int qos, boolean retain) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    private void publish(String topic, byte[] payload, int qos, boolean retain) {
        if (mqtt != null) {
            mqtt.publish(topic, payload, qos, retain);
        }
    }

    private void publishModel(LoadedModel m) {
        JsonOut j = new JsonOut().begin().field("name", m.name()).field("version", m.version()).field("hash", m.hash())
                .field("source", m.source()).field("loaded", m.loadedAt().toString()).field("backend", m.backend())
                .field("steps", m.options().steps()).field("dt", m.options().dt())
                .field("presentation", m.options().presentation()).field("early_decision", m.decisionNote());
        j.array("labels");
        for (String l : m.labels()) {
            j.value(l);
        }
        j.closeArray();
        publish(topics.model(), j.end(), 1, true);
    }

    private void cameraChanged(CameraStateChange c) {
        lastState.put(c.camera(), c); // Camera logs the change itself
        CameraWorker w = byName.get(c.camera());
        if (w != null) {
            publishHealth(w);
        }
    }

    static String healthState(CameraState s) {
        return switch (s) {
            case ONLINE -> ONLINE;
            case STALLED -> "stalled";
            default -> OFFLINE;
        };
    }

    private void publishHealth(CameraWorker w) {
        publish(topics.health(w.name()), healthJson(w), 1, true);
    }

    String healthJson(CameraWorker w) {
        Camera cam = w.camera;
        CameraStateChange last = lastState.get(w.name());
        CameraState st = closed ? CameraState.OFFLINE : cam.state();
        String reason = closed ? "node stopped" : st == CameraState.ENDED ? "end of stream"
                : st == CameraState.STARTING ? "starting" : last == null ? null : last.reason();
        long lastFrame = cam.lastFrameWallMillis();
        return new JsonOut().begin().field("state", healthState(st)).field("detail", st.name().toLowerCase(Locale.ROOT))
                .field("reason", st == CameraState.ONLINE ? null : reason).field("fps_in", round2(cam.fpsIn()))
                .field("fps_out", round2(w.fpsOut())).field("grabbed", cam.grabbed()).field("dropped", cam.dropped())
                .field("classified", w.classified.get()).field("errors", w.errors.get()).field("reconnects", cam.reconnects())
                .field("detect", w.detect).field("last_frame", lastFrame <= 0 ? null : Instant.ofEpochMilli(lastFrame).toString())
                .field("time", Instant.now().toString()).endString();
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private void periodic() {
        try {
            for (CameraWorker w : workers) {
                publishHealth(w);
            }
            publish(topics.stats(), statsJson(), 0, false);
        } catch (RuntimeException e) {
            log.warn("stats: {}", e.toString());
        }
    }

    String statsJson() {
        JsonOut j = new JsonOut().begin().field("time", Instant.now().toString())
                .field("uptime_s", (System.nanoTime() - startNanos) / 1_000_000_000L)
                .field("cpu", round2(process.processCpu())).field("heap_used_mb", mb(process.heapUsed()))
                .field("heap_max_mb", mb(process.heapMax())).field("native_mb", mb(process.javacppBytes() + process.directBytes()))
                .field("rss_mb", mb(ProcessStats.rssBytes())).field("threads", process.threads());
        j.object("cameras");
        for (CameraWorker w : workers) {
            double[] q = w.totalLatency.quantilesMillis(0.5, 0.99);
            double[] n = w.networkLatency.quantilesMillis(0.5);
            j.object(w.name()).field("grabbed", w.camera.grabbed()).field("dropped", w.camera.dropped())
                    .field("classified", w.classified.get()).field("skipped", w.skipped.get()).field("errors", w.errors.get())
                    .field("latency_p50_ms", round2(q[0])).field("latency_p99_ms", round2(q[1]))
                    .field("network_p50_ms", round2(n[0])).close();
        }
        j.close();
        if (mqtt != null) {
            j.object("mqtt").field("connected", mqtt.isConnected()).field("published", mqtt.published())
                    .field("buffered", mqtt.buffered()).field("dropped_offline", mqtt.droppedOffline())
                    .field("connects", mqtt.connects()).field("rejected_commands", rejectedCommands.get()).close();
        }
        j.object("capture").field("enabled", recorder.isEnabled()).field("saved", recorder.saved())
                .field("failures", recorder.failures()).field("removed_by_quota", recorder.removedByQuota())
                .field("bytes", recorder.bytesUsed()).field("queue_dropped", captureDropped.get())
                .field("last_error", recorder.lastError()).close();
        return j.endString();
    }

    private static double mb(long bytes) {
        return bytes < 0 ? -1 : Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    private static long stamp(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() ^ (Files.size(p) << 20);
        } catch (IOException e) {
            return -1;
        }
    }

    private void watch(Path p) {
        long s = stamp(p);
        if (s != watchedStamp && s != -1) {
            watchedStamp = s;
            log.info("model file {} changed: reloading", p);
            reload("", "file change");
        }
    }

    /** Loads off the hot path; the old model keeps serving until the new one is fully checked. */
    void reload(String request, String origin) {
        modelExecutor.execute(() -> {
            try {
                LoadedModel m = request.isEmpty() ? loader.loadConfigured() : loader.loadRequested(request);
                cfg.readout().checkLabels(m.labels());
                model.set(m);
                publishModel(m);
                log.info("model reloaded ({}): {} hash {}; {}", origin, m.source(), m.hash().substring(0, 12), m.decisionNote());
                respond("model/reload", true, "loaded " + m.name() + " from " + m.source() + ", hash " + m.hash());
            } catch (Exception e) {
                log.warn("model reload ({}) failed, keeping {}: {}", origin, model.get().source(), e.getMessage());
                respond("model/reload", false, e.getMessage() + " (still serving " + model.get().name() + ")");
                error(null, "model reload failed: " + e.getMessage());
            }
        });
    }

    private void respond(String command, boolean ok, String message) {
        publish(topics.response(), new JsonOut().begin().field("command", command).field("ok", ok).field("message", message)
                .field("time", Instant.now().toString()).end(), 1, false);
    }

    private void error(String camera, String message) {
        publish(topics.error(), new JsonOut().begin().field("camera", camera).field("message", message)
                .field("time", Instant.now().toString()).end(), 0, false);
    }

    /** Commands arrive on Paho's thread: answer quickly, never throw. */
    private final class Commands implements MqttTransport.MessageHandler {
        @Override
        public void onMessage(String topic, byte[] payload) {
            String cmd = topic.startsWith(topics.base + "/") ? topic.substring(topics.base.length() + 1) : topic;
            try {
                if (payload.length > cfg.mqtt().maxPayloadBytes()) {
                    throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the limit of "
                            + cfg.mqtt().maxPayloadBytes());
                }
                String text = utf8(payload).trim();
                handle(cmd, text);
            } catch (IllegalArgumentException e) {
                rejectedCommands.incrementAndGet();
                log.warn("command {} rejected: {}", cmd, e.getMessage());
                respond(cmd, false, e.getMessage());
            } catch (RuntimeException e) {
                rejectedCommands.incrementAndGet();
                log.error("command {} failed", cmd, e);
                respond(cmd, false, "internal error: " + e);
            }
        }

        private void handle(String cmd, String text) {
            String[] parts = cmd.split("/");
            if (cmd.equals("model/reload")) {
                reload(text, "command");
                respond(cmd, true, "reload of '" + (text.isEmpty() ? cfg.model().path() : text) + "' started");
            } else if (cmd.equals("capture/set")) {
                boolean on = onOff(text);
                recorder.setEnabled(on);
                publish(topics.captureState(), on ? "ON" : "OFF", 1, true);
                respond(cmd, true, "field capture " + (on ? "on" : "off"));
            } else if (cmd.equals("capture/snapshot")) {
                recorder.requestOne();
                respond(cmd, true, "the next classified frame will be captured");
            } else if (parts.length == 3 && parts[1].equals("detect") && parts[2].equals("set")) {
                CameraWorker w = byName.get(parts[0]);
                if (w == null) {
                    throw new IllegalArgumentException("unknown camera '" + parts[0] + "' (cameras: "
                            + String.join(", ", byName.keySet()) + ")");
                }
                w.detect = onOff(text);
                publish(topics.detectState(w.name()), w.detect ? "ON" : "OFF", 1, true);
                respond(cmd, true, "detection on " + w.name() + " " + (w.detect ? "on" : "off"));
            } else {
                throw new IllegalArgumentException("unknown command topic '" + cmd + "' (commands: <camera>/detect/set, "
                        + "capture/set, capture/snapshot, model/reload)");
            }
        }

        private boolean onOff(String text) {
            return switch (text.toUpperCase(Locale.ROOT)) {
                case "ON", "TRUE", "1" -> true;
                case "OFF", "FALSE", "0" -> false;
                default -> throw new IllegalArgumentException("expected ON or OFF, got '" + abbreviate(text) + "'");
            };
        }
    }

    private static String utf8(byte[] b) {
        var dec = StandardCharsets.UTF_8.newDecoder();
        try {
            return dec.decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("payload is not UTF-8 text");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private final class Sink implements CameraWorker.Sink {
        @Override
        public void classified(CameraWorker w, CameraFrame f, Classification c, FrameResult r, LoadedModel m,
                               long captureNanos, long preprocessNanos, long networkNanos) {
            long totalNanos = System.nanoTime() - f.grabNanos;
            JsonOut j = json.get().begin().field("time", Instant.ofEpochMilli(f.wallMillis).toString())
                    .fieldMillisAsSeconds("timestamp", f.wallMillis).field("frame", f.id).field("camera", w.name())
                    .field("label", c.label).field("class_id", c.classId).field("score", c.score).field("margin", c.margin);
            j.array("top");
            for (int i = 0; i < c.topCount; i++) {
                j.element().field("label", m.labels().get(c.topIds[i])).field("score", c.topScores[i]).close();
            }
            j.closeArray();
            j.object("latency_ms").field("capture", captureNanos / 1e6).field("preprocess", preprocessNanos / 1e6)
                    .field("network", networkNanos / 1e6).field("total", totalNanos / 1e6).close();
            j.field("steps", r.steps).field("dt", m.options().dt()).field("readout_steps", r.readoutSteps)
                    .field("spikes", r.totalSpikes()).field("synaptic_events", r.synapticEvents)
                    .field("energy_flops", r.energyFlops());
            j.object("model").field("name", m.name()).field("hash", m.hash()).close();
            publish(topics.classification(w.name()), j.end(), cfg.mqtt().qos(), cfg.mqtt().retain());
            if (firstPublishNanos == 0) {
                firstPublishNanos = System.nanoTime();
                log.info("first classification published {} ms after start", (firstPublishNanos - startNanos) / 1_000_000);
            }
            if (console != null) {
                console.printf(Locale.ROOT, "%s %-8s frame %6d  %-12s score %.2f  margin %.2f  %6.1f ms%n",
                        Instant.ofEpochMilli(f.wallMillis).toString().substring(11, 23), w.name(), f.id, c.label, c.score,
                        c.margin, totalNanos / 1e6);
            }
            if (recorder.isEnabled()) {
                offerCapture(w, f, c, m);
            }
        }

        @Override
        public void failed(CameraWorker w, String message, Exception e) {
            log.warn(message, e);
            error(w.name(), message);
        }
    }

    private void offerCapture(CameraWorker w, CameraFrame f, Classification c, LoadedModel m) {
        if (captureExecutor.getQueue().remainingCapacity() == 0) {
            captureDropped.incrementAndGet();
            return;
        }
        byte[] rgb = java.util.Arrays.copyOf(f.pixels, f.width * f.height * 3);
        Classification copy = new Classification(c.topIds.length);
        copy.copyFrom(c);
        int width = f.width, height = f.height;
        long id = f.id, wall = f.wallMillis;
        captureExecutor.execute(() -> {
            var outcome = recorder.offer(w.name(), id, wall, rgb, width, height, copy, m.labels(), m.name(), m.hash());
            if (outcome.isFailed()) {
                log.warn("field capture failed: {}", outcome.reason());
                error(w.name(), "field capture failed: " + outcome.reason());
            }
        });
    }

    // ---- read by the metrics server and tests

    List<CameraWorker> workers() {
        return workers;
    }

    ProcessStats process() {
        return process;
    }

    MqttTransport mqtt() {
        return mqtt;
    }

    FieldRecorder recorder() {
        return recorder;
    }

    public LoadedModel model() {
        return model.get();
    }

    public long classified() {
        long s = 0;
        for (CameraWorker w : workers) {
            s += w.classified.get();
        }
        return s;
    }

    /** Graceful stop: offline published and flushed, cameras closed; bounded to about 2 seconds. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        scheduler.shutdownNow();
        for (CameraWorker w : workers) {
            try {
                w.stop(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (mqtt != null) {
            for (CameraWorker w : workers) {
                publishHealth(w);
            }
            publish(topics.status(), OFFLINE, 1, true);
            mqtt.close(Duration.ofMillis(800));
        }
        for (CameraWorker w : workers) {
            w.camera.close();
        }
        captureExecutor.shutdown();
        try {
            captureExecutor.awaitTermination(300, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        modelExecutor.shutdownNow();
        if (recorder != null) {
            recorder.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (broker != null) {
            broker.close();
        }
        log.info("node {} stopped in {} ms", cfg.nodeId(), (System.nanoTime() - t0) / 1_000_000);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
