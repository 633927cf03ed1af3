package dev.lifvision.fieldtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifvision.publish.EmbeddedBroker;
import dev.lifvision.publish.MosquittoBroker;
import dev.lifvision.publish.MqttProbe;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The launch issue's checks: the tarball's launcher, the systemd unit, the demo script. */
class LaunchTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tarballLauncherClassifiesAVideoOverMqtt(@TempDir Path dir) throws Exception {
        Path home = Packaged.home();
        for (String p : List.of("bin/lifvision", "lib/lifvision-node.jar", "conf/node.example.yaml",
                "conf/lifvision-node.service", "models/mnist.lifb")) {
            assertTrue(Files.exists(home.resolve(p)), p + " in the tarball");
        }
        try (MosquittoBroker broker = MosquittoBroker.start();
             MqttProbe probe = MqttProbe.connect(broker.uri(), "lifvision/tarball/#")) {
            Path cfg = dir.resolve("node.yaml");
            Files.writeString(cfg, "node_id: tarball\nmodel:\n  path: " + home.resolve("models/mnist.lifb") + "\n"
                    + "cameras:\n  front:\n    source: " + Packaged.ROOT.resolve("launch/samples/digits.mp4") + "\n"
                    + "mqtt:\n  broker: " + broker.uri() + "\n");
            Process node = Packaged.start(dir.resolve("node.log"), Map.of(), "run", "--config", cfg.toString(), "--frames", "20");
            try {
                assertTrue(node.waitFor(60, TimeUnit.SECONDS), "exits after 20 classifications");
                assertEquals(0, node.exitValue(), Files.readString(dir.resolve("node.log")));
            } finally {
                node.destroyForcibly();
            }
            var msgs = probe.awaitCount("lifvision/tarball/front/classification", 20, Duration.ofSeconds(10));
            List<String> truth = Files.readAllLines(Packaged.ROOT.resolve("launch/samples/digits.truth.csv"));
            int correct = 0;
            for (var m : msgs) {
                JsonNode j = JSON.readTree(m.payload());
                String[] row = truth.get(j.get("frame").asInt()).split(",");
                correct += row[2].equals(j.get("label").asText()) ? 1 : 0;
            }
            assertTrue(correct >= 18, correct + " of 20 correct");
            assertEquals("offline", probe.await("lifvision/tarball/status", r -> r.text().equals("offline"),
                    Duration.ofSeconds(5)).text());
            String log = Files.readString(dir.resolve("node.log"));
            assertFalse(log.contains("Exception"), log);
        }
    }

    @Test
    void launcherReportsABadConfigWithExitCodeTwo(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("node.yaml");
        Files.writeString(cfg, "cameras:\n  front:\n    source: v4l2:///dev/video0\n    fps: -5\n");
        Process p = Packaged.start(dir.resolve("out.log"), Map.of(), cfg.toString());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = Files.readString(dir.resolve("out.log"));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("cameras.front.fps") && out.contains("-5"), out);
        assertFalse(out.contains("WARNING: Using incubator"), "the launcher hides the incubator notice: " + out);
    }

    @Test
    void systemdUnitVerifies(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")) || onPath("systemd-analyze"),
                "SKIPPED: systemd-analyze not available");
        Path home = Packaged.home();
        String unit = Files.readString(home.resolve("conf/lifvision-node.service"))
                .replace("/opt/lifvision/bin/lifvision", home.resolve("bin/lifvision").toString());
        Path file = dir.resolve("lifvision-node.service");
        Files.writeString(file, unit);
        Process p = new ProcessBuilder("systemd-analyze", "verify", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("lifvision-node.service:"), "no complaint about the unit: " + out);
    }

    @Test
    void demoScriptRunsNonInteractively(@TempDir Path dir) throws Exception {
        int port = EmbeddedBroker.freePort();
        Path log = dir.resolve("demo.log");
        ProcessBuilder pb = new ProcessBuilder(Packaged.ROOT.resolve("launch/demo").toString(), "--frames", "15", "--port",
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "demo finished");
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("mosquitto_sub -h 127.0.0.1 -p " + port), out);
        long lines = out.lines().filter(l -> l.matches(".*front\\s+frame\\s+\\d+\\s+\\S+\\s+score.*")).count();
        assertTrue(lines >= 15, "one line per classification: " + out);
    }

    @Test
    void exampleConfigsAreValid() throws IOException {
        Map<String, String> env = Map.of("MQTT_PASSWORD", "x", "TRUSTSTORE_PASSWORD", "y", "CAMERA_PASSWORD", "z");
        try (var s = Files.list(Packaged.ROOT.resolve("launch/configs"))) {
            for (Path p : s.toList()) {
                var cfg = dev.lifvision.config.NodeConfig.load(p, env);
                assertFalse(cfg.cameras().isEmpty(), p.toString());
            }
        }
    }

    private static boolean onPath(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, cmd))) {
                return true;
            }
        }
        return false;
    }
}
