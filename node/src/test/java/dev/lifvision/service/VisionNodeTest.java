package dev.lifvision.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifvision.cli.Main;
import dev.lifvision.config.NodeConfig;
import dev.lifvision.data.DatasetVideo;
import dev.lifvision.fixtures.Mnist200;
import dev.lifvision.publish.EmbeddedBroker;
import dev.lifvision.publish.MosquittoBroker;
import dev.lifvision.publish.MqttProbe;
import dev.lifvision.publish.MqttProbe.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The node in this JVM against a real Mosquitto, fed by a real MPEG-4 video of real MNIST digits
 * (the process-level tests, SIGKILL included, are here too; the packaged node's end-to-end runs are
 * in field-tests).
 */
class VisionNodeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path shared;
    static MosquittoBroker broker;
    static DatasetVideo video;
    static Path modelDir;

    @BeforeAll
    static void setUp() throws Exception {
        broker = MosquittoBroker.start();
        video = DatasetVideo.write(shared.resolve("digits.mp4"), Mnist200.images(), 40, 6, 160, 120, 30, 7);
        modelDir = Files.createDirectories(shared.resolve("models"));
        try (InputStream in = VisionNodeTest.class.getResourceAsStream("/models/mnist.lifb")) {
            Files.copy(in, modelDir.resolve("mnist.lifb"));
        }
        Files.writeString(shared.resolve("outside.lifb"), "not a model");
    }

    @AfterAll
    static void tearDown() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Path config(Path dir, String nodeId, String uri, String extra) throws IOException {
        String yaml = "node_id: " + nodeId + "\n"
                + "log_level: warn\n"
                + "model:\n  path: " + modelDir.resolve("mnist.lifb") + "\n  folder: " + modelDir + "\n"
                + "cameras:\n  front:\n    source: file://" + video.file + "\n    loop: true\n"
                + "mqtt:\n  broker: " + uri + "\n  stats_interval: 1s\n  keepalive: 2\n"
                + "capture:\n  dir: " + dir.resolve("captures") + "\n"
                + extra;
        Path f = dir.resolve("node.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static VisionNode start(Path cfg) throws IOException {
        VisionNode node = new VisionNode(NodeConfig.load(cfg, Map.of()), null);
        node.start();
        return node;
    }

    private static JsonNode json(Received r) {
        try {
            return JSON.readTree(r.payload());
        } catch (IOException e) {
            throw new AssertionError("not JSON on " + r.topic() + ": " + r.text());
        }
    }

    @Test
    void classifiesTheVideoAndPublishesStatusModelHealthAndStats(@TempDir Path dir) throws Exception {
        String base = "lifvision/t1";
        try (MqttProbe probe = MqttProbe.connect(broker.uri(), base + "/#");
             VisionNode node = start(config(dir, "t1", broker.uri(), ""))) {
            assertEquals("online", probe.await(base + "/status", r -> r.text().equals("online"), WAIT).text());
            JsonNode model = json(probe.await(base + "/model", WAIT));
            assertEquals(10, model.get("labels").size());
            assertEquals(node.model().hash(), model.get("hash").asText());
            assertEquals(64, model.get("hash").asText().length());

            List<Received> msgs = probe.awaitCount(base + "/front/classification", 60, Duration.ofSeconds(60));
            int correct = 0;
            long lastFrame = 0;
            for (Received r : msgs) {
                JsonNode m = json(r);
                for (String f : List.of("time", "timestamp", "frame", "camera", "label", "class_id", "score", "margin", "top",
                        "latency_ms", "steps", "dt", "spikes", "synaptic_events", "energy_flops", "model")) {
                    assertTrue(m.has(f), "classification has '" + f + "': " + m);
                }
                for (String f : List.of("capture", "preprocess", "network", "total")) {
                    assertTrue(m.get("latency_ms").get(f).asDouble() >= 0, f);
                }
                assertEquals("front", m.get("camera").asText());
                assertTrue(Math.abs(m.get("timestamp").asDouble() * 1000 - System.currentTimeMillis()) < 60_000, m.toString());
                assertEquals(200, m.get("steps").asInt());
                assertEquals(3, m.get("top").size());
                assertTrue(m.get("spikes").asLong() > 0 && m.get("synaptic_events").asLong() > 0);
                long frame = m.get("frame").asLong();
                assertTrue(frame > lastFrame, "never the same frame twice, in order");
                lastFrame = frame;
                int truth = video.truth[(int) ((frame - 1) % video.truth.length)];
                if (m.get("label").asText().equals(String.valueOf(truth))) {
                    correct++;
                }
                assertEquals(node.model().hash(), m.get("model").get("hash").asText());
            }
            assertTrue(correct >= 0.9 * msgs.size(), "correct " + correct + " of " + msgs.size());

            JsonNode health = json(probe.await(base + "/front/health", r -> json(r).get("fps_in").asDouble() > 0, WAIT));
            assertEquals("online", health.get("state").asText());
            JsonNode stats = json(probe.await(base + "/stats", WAIT));
            assertTrue(stats.get("cameras").get("front").get("classified").asLong() > 0, stats.toString());
            assertTrue(stats.get("heap_used_mb").asDouble() > 0);
            assertTrue(stats.get("mqtt").get("connected").asBoolean());
        }
    }

    @Test
    void commandsAreAnsweredAndBadOnesRejectedWithoutHarm(@TempDir Path dir) throws Exception {
        String base = "lifvision/t2";
        try (MqttProbe probe = MqttProbe.connect(broker.uri(), base + "/#");
             VisionNode node = start(config(dir, "t2", broker.uri(), ""))) {
            probe.await(base + "/status", r -> r.text().equals("online"), WAIT);
            probe.await(base + "/front/classification", WAIT);

            probe.publish(base + "/front/detect/set", "OFF", 1, false);
            probe.await(base + "/front/detect/state", r -> r.text().equals("OFF"), WAIT);
            assertTrue(json(probe.await(base + "/response", WAIT)).get("ok").asBoolean());
            Thread.sleep(500);
            probe.drain();
            probe.assertNothing(base + "/front/classification", Duration.ofMillis(1000));
            probe.publish(base + "/front/detect/set", "ON", 1, false);
            probe.await(base + "/front/classification", WAIT);

            String[][] bad = {
                    {base + "/front/detect/set", "MAYBE", "expected ON or OFF"},
                    {base + "/rear/detect/set", "ON", "unknown camera 'rear'"},
                    {base + "/front/zoom/set", "2", "unknown command"},
                    {base + "/capture/set", "x".repeat(5000), "exceeds the limit"},
            };
            for (String[] b : bad) {
                probe.publish(b[0], b[1], 1, false);
                JsonNode resp = json(probe.await(base + "/response", r -> !json(r).get("ok").asBoolean(), WAIT));
                assertTrue(resp.get("message").asText().contains(b[2]), resp.toString());
            }
            probe.publish(base + "/capture/set", new byte[]{(byte) 0xff, (byte) 0xfe, 0x00}, 1, false);
            assertTrue(json(probe.await(base + "/response", r -> !json(r).get("ok").asBoolean(), WAIT)).get("message").asText()
                    .contains("UTF-8"));
            // still serving
            probe.drain();
            probe.await(base + "/front/classification", WAIT);
        }
    }

    @Test
    void homeAssistantDiscoveryIsRetainedAndResentWhenHomeAssistantComesOnline(@TempDir Path dir) throws Exception {
        try (VisionNode node = start(config(dir, "t11", broker.uri(), ""))) {
            awaitConnected(node);
            MqttProbe ha = MqttProbe.connect(broker.uri(), "homeassistant/+/t11/#");
            Received label = ha.await("homeassistant/sensor/t11/t11_front_label/config", WAIT);
            assertTrue(label.retained(), "discovery configs are retained");
            JsonNode c = json(label);
            assertEquals("lifvision/t11/front/classification", c.get("state_topic").asText());
            assertEquals("{{ value_json.label }}", c.get("value_template").asText());
            assertEquals("lifvision/t11/status", c.get("availability_topic").asText());
            assertEquals("lifvision_t11", c.get("device").get("identifiers").get(0).asText());
            JsonNode sw = json(ha.await("homeassistant/switch/t11/t11_front_detect/config", WAIT));
            assertEquals("lifvision/t11/front/detect/set", sw.get("command_topic").asText());
            ha.drain();
            ha.publish("homeassistant/status", "online", 1, false);
            Received again = ha.await("homeassistant/sensor/t11/t11_front_label/config", WAIT);
            assertFalse(again.retained(), "a live re-send after Home Assistant's birth message");
            ha.close();
        }
    }

    private static void awaitConnected(VisionNode node) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!node.mqtt().isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(500); // the retained announcements follow the connect
    }

    @Test
    void modelReloadStaysInsideTheFolderAndKeepsTheOldModelOnFailure(@TempDir Path dir) throws Exception {
        String base = "lifvision/t3";
        byte[] good = Files.readAllBytes(modelDir.resolve("mnist.lifb"));
        byte[] corrupt = good.clone();
        corrupt[corrupt.length / 2] ^= 0x55;
        Files.write(modelDir.resolve("broken.lifb"), corrupt);
        try (MqttProbe probe = MqttProbe.connect(broker.uri(), base + "/#");
             VisionNode node = start(config(dir, "t3", broker.uri(), ""))) {
            probe.await(base + "/status", r -> r.text().equals("online"), WAIT);
            String hash = node.model().hash();
            for (String[] req : new String[][]{{"../outside", "outside the model folder"}, {"/etc/passwd", "absolute path"},
                    {"broken", "broken.lifb"}, {"nothing-here", "no model 'nothing-here'"}}) {
                probe.drain();
                probe.publish(base + "/model/reload", req[0], 1, false);
                JsonNode resp = json(probe.await(base + "/response", r -> !json(r).get("ok").asBoolean(), WAIT));
                assertTrue(resp.get("message").asText().contains(req[1]), req[0] + ": " + resp);
                assertEquals(hash, node.model().hash(), "old model keeps serving");
            }
            JsonNode after = json(probe.await(base + "/front/classification", WAIT));
            assertEquals(hash, after.get("model").get("hash").asText());

            probe.drain();
            probe.publish(base + "/model/reload", "mnist", 1, false);
            JsonNode ok = json(probe.await(base + "/response", r -> json(r).get("message").asText().startsWith("loaded"), WAIT));
            assertTrue(ok.get("ok").asBoolean(), ok.toString());
            assertEquals(hash, json(probe.await(base + "/model", WAIT)).get("hash").asText());
        } finally {
            Files.deleteIfExists(modelDir.resolve("broken.lifb"));
        }
    }

    @Test
    void fieldCaptureWritesImagesByLabelAndAnIndex(@TempDir Path dir) throws Exception {
        String base = "lifvision/t4";
        try (MqttProbe probe = MqttProbe.connect(broker.uri(), base + "/#");
             VisionNode node = start(config(dir, "t4", broker.uri(), "  policy: every_nth\n  every_nth: 3\n"))) {
            probe.await(base + "/capture/state", r -> r.text().equals("OFF"), WAIT);
            probe.publish(base + "/capture/set", "ON", 1, false);
            probe.await(base + "/capture/state", r -> r.text().equals("ON"), WAIT);
            Path index = dir.resolve("captures/index.jsonl");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while ((!Files.exists(index) || Files.readAllLines(index).size() < 4) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            probe.publish(base + "/capture/set", "OFF", 1, false);
            List<String> lines = Files.readAllLines(index);
            assertTrue(lines.size() >= 4, "index lines: " + lines.size());
            JsonNode first = JSON.readTree(lines.get(0));
            Path png = dir.resolve("captures").resolve(first.get("file").asText());
            assertTrue(Files.size(png) > 100, png.toString());
            assertTrue(first.get("file").asText().startsWith(first.get("label").asText() + "/"));
            assertEquals(node.model().hash(), first.get("model_hash").asText());
            var img = javax.imageio.ImageIO.read(png.toFile());
            assertEquals(160, img.getWidth(), "the whole camera frame is kept, for re-cropping");
        }
    }

    @Test
    void missingCameraIsReportedAtOnceAndTheNodeKeepsRunning(@TempDir Path dir) throws Exception {
        String base = "lifvision/t5";
        Path cfg = dir.resolve("node.yaml");
        Files.writeString(cfg, "node_id: t5\nlog_level: error\nmodel:\n  path: mnist\ncameras:\n  front:\n"
                + "    source: v4l2:///dev/video99\nmqtt:\n  broker: " + broker.uri() + "\n");
        try (MqttProbe probe = MqttProbe.connect(broker.uri(), base + "/#")) {
            long t0 = System.nanoTime();
            try (VisionNode node = start(cfg)) {
                JsonNode h = json(probe.await(base + "/front/health", r -> r.text().contains("/dev/video99"), WAIT));
                assertEquals("offline", h.get("state").asText());
                assertTrue((System.nanoTime() - t0) / 1e9 < 5, "reported within seconds");
                assertEquals("online", probe.await(base + "/status", WAIT).text());
            }
            assertEquals("offline", probe.await(base + "/status", r -> r.text().equals("offline"), WAIT).text());
        }
    }

    @Test
    void nodeReconnectsAfterABrokerRestartAndRestoresRetainedState(@TempDir Path dir) throws Exception {
        try (MosquittoBroker own = MosquittoBroker.start(EmbeddedBroker.freePort(), false);
             VisionNode node = start(config(dir, "t6", own.uri(), ""))) {
            String base = "lifvision/t6";
            try (MqttProbe probe = MqttProbe.connect(own.uri(), base + "/#")) {
                probe.await(base + "/status", r -> r.text().equals("online"), WAIT);
            }
            own.restart();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((node.mqtt().connects() < 2 || !node.mqtt().isConnected()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(300);
            // a broker without persistence forgets retained messages: the node must send them again
            try (MqttProbe probe = MqttProbe.connect(own.uri(), base + "/#")) {
                assertEquals("online", probe.await(base + "/status", r -> r.retained() && r.text().equals("online"),
                        Duration.ofSeconds(30)).text());
                assertNotNull(probe.await(base + "/model", r -> r.retained(), WAIT));
                probe.await(base + "/front/classification", WAIT);
            }
            assertTrue(node.mqtt().connects() >= 2);
        }
    }

    @Test
    void embeddedBrokerAndMetricsEndpoint(@TempDir Path dir) throws Exception {
        int port = EmbeddedBroker.freePort();
        int metricsPort = EmbeddedBroker.freePort();
        Path cfg = dir.resolve("node.yaml");
        Files.writeString(cfg, "node_id: t7\nlog_level: warn\nmodel:\n  path: mnist\n  backend: rate\n"
                + "cameras:\n  front:\n    source: file://" + video.file + "\n    loop: true\n"
                + "mqtt:\n  embedded: true\n  embedded_port: " + port + "\n"
                + "metrics:\n  enabled: true\n  port: " + metricsPort + "\n");
        try (VisionNode node = start(cfg);
             MqttProbe probe = MqttProbe.connect("tcp://127.0.0.1:" + port, "lifvision/t7/#")) {
            JsonNode m = json(probe.await("lifvision/t7/front/classification", WAIT));
            assertEquals(1, m.get("steps").asInt(), "rate backend from the config");
            HttpClient http = HttpClient.newHttpClient();
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(text.contains("# TYPE lifvision_frames_classified_total counter"), text);
            assertTrue(text.matches("(?s).*lifvision_frames_classified_total\\{camera=\"front\"} [1-9].*"), text);
            assertTrue(text.contains("lifvision_model_info{name="), text);
            var health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"front\":\"online\""), health.body());
        }
    }

    @Test
    void killedProcessShowsOfflineThroughTheLastWill(@TempDir Path dir) throws Exception {
        String base = "lifvision/t8";
        Path cfg = config(dir, "t8", broker.uri(), "");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.lifvision.cli.Main", "run", "--config", cfg.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
        try (MqttProbe probe = MqttProbe.connect(broker.uri(), base + "/#")) {
            long t0 = System.nanoTime();
            probe.await(base + "/front/classification", Duration.ofSeconds(30));
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("node process: first classification %.2f s after launch%n", startSeconds);
            probe.drain();
            p.destroyForcibly();
            assertTrue(p.waitFor(5, TimeUnit.SECONDS));
            long killed = System.nanoTime();
            Received will = probe.await(base + "/status", r -> r.text().equals("offline"), Duration.ofSeconds(10));
            double seconds = (System.nanoTime() - killed) / 1e9;
            assertTrue(seconds <= 1.5 * 2 + 0.5, "offline within 1.5x keep-alive: " + seconds + " s");
            assertEquals("offline", will.text());
        } finally {
            p.destroyForcibly();
        }
        try (MqttProbe late = MqttProbe.connect(broker.uri(), base + "/status")) {
            Received r = late.await(base + "/status", WAIT);
            assertTrue(r.retained() && r.text().equals("offline"), "retained offline for late subscribers");
        }
    }

    @Test
    void sigtermStopsGracefullyAndPublishesOffline(@TempDir Path dir) throws Exception {
        String base = "lifvision/t9";
        Path cfg = config(dir, "t9", broker.uri(), "");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.lifvision.cli.Main", "run", "--config", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
        try (MqttProbe probe = MqttProbe.connect(broker.uri(), base + "/#")) {
            probe.await(base + "/front/classification", Duration.ofSeconds(30));
            long t0 = System.nanoTime();
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "exits after SIGTERM");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 2.5, "stopped in " + seconds + " s");
            probe.await(base + "/status", r -> r.text().equals("offline"), WAIT);
            JsonNode h = json(probe.await(base + "/front/health", r -> json(r).get("reason").asText().equals("node stopped"), WAIT));
            assertEquals("offline", h.get("state").asText());
        } finally {
            p.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("node.log"));
        assertFalse(log.contains("Exception"), log);
    }

    @Test
    void badConfigExitsWithCodeTwoNamingKeyAndValue(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "cameras:\n  front:\n    source: v4l2:///dev/video0\nmqtt:\n  qos: 7\n");
        var err = new ByteArrayOutputStream();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        assertEquals(2, cl.execute("run", "--config", cfg.toString()));
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.contains("bad.yaml") && msg.contains("mqtt.qos must be between 0 and 2, got 7"), msg);

        Path good = config(dir, "t10", broker.uri(), "");
        var out = new ByteArrayOutputStream();
        var old = System.out;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.commandLine().execute("run", "--config", good.toString(), "--check-config"));
        } finally {
            System.setOut(old);
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("OK"), out.toString(StandardCharsets.UTF_8));
    }
}
