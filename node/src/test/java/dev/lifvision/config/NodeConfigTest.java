package dev.lifvision.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class NodeConfigTest {
    @TempDir
    Path dir;

    private NodeConfig load(String yaml, Map<String, String> env) throws IOException {
        Path f = dir.resolve("node.yaml");
        Files.writeString(f, yaml);
        return NodeConfig.load(f, env);
    }

    private String error(String yaml) {
        return error(yaml, Map.of());
    }

    private String error(String yaml, Map<String, String> env) {
        var e = assertThrows(IllegalArgumentException.class, () -> load(yaml, env));
        assertTrue(e.getMessage().startsWith(dir.resolve("node.yaml").toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    static final String MINIMAL = "cameras:\n  front:\n    source: v4l2:///dev/video0\n";

    @Test
    void minimalConfigGetsDefaults() throws IOException {
        NodeConfig c = load(MINIMAL, Map.of());
        assertEquals("lifvision", c.nodeId());
        assertEquals("mnist", c.model().path());
        assertEquals(dir.resolve("models"), c.model().folder());
        assertEquals("spiking", c.model().backend());
        assertEquals("tcp://127.0.0.1:1883", c.mqtt().client().broker());
        assertEquals("lifvision/lifvision", c.mqtt().base(c.nodeId()));
        assertEquals(0, c.mqtt().qos());
        assertFalse(c.capture().enabled());
        assertFalse(c.metrics().enabled());
        assertEquals(1, c.cameras().size());
        assertEquals(Duration.ofSeconds(5), c.cameras().get(0).source().stallTimeout());
        assertNull(c.cameras().get(0).roi());
    }

    /** The example file documents the defaults: loading it must give exactly what an empty config gives. */
    @Test
    void exampleFileMatchesCodeDefaults() throws IOException {
        Path example = Path.of("..", "launch", "node.example.yaml");
        assertTrue(Files.exists(example), "launch/node.example.yaml exists");
        NodeConfig ex = NodeConfig.load(example, Map.of());
        Path f = dir.resolve("node.yaml");
        Files.writeString(f, MINIMAL);
        NodeConfig d = NodeConfig.load(f, Map.of());
        assertEquals(d.nodeId(), ex.nodeId());
        assertEquals(d.logLevel(), ex.logLevel());
        assertEquals(d.model().path(), ex.model().path());
        assertEquals(d.model().backend(), ex.model().backend());
        assertEquals(d.model().coding(), ex.model().coding());
        assertEquals(d.model().inputRate(), ex.model().inputRate());
        assertEquals(d.model().watch(), ex.model().watch());
        assertEquals(d.readout(), ex.readout());
        var a = d.mqtt();
        var b = ex.mqtt();
        assertEquals(a.client().broker(), b.client().broker());
        assertEquals(a.client().clientId(), b.client().clientId());
        assertEquals(a.client().keepAliveSeconds(), b.client().keepAliveSeconds());
        assertEquals(a.client().offlineBuffer(), b.client().offlineBuffer());
        assertEquals(a.client().reconnectInitial(), b.client().reconnectInitial());
        assertEquals(a.client().reconnectMax(), b.client().reconnectMax());
        assertEquals(a.client().connectTimeout(), b.client().connectTimeout());
        assertEquals(a.qos(), b.qos());
        assertEquals(a.retain(), b.retain());
        assertEquals(a.topicPrefix(), b.topicPrefix());
        assertEquals(a.statsInterval(), b.statsInterval());
        assertEquals(a.homeAssistant(), b.homeAssistant());
        assertEquals(a.discoveryPrefix(), b.discoveryPrefix());
        assertEquals(a.embedded(), b.embedded());
        assertEquals(a.maxPayloadBytes(), b.maxPayloadBytes());
        assertEquals(d.capture().policy(), ex.capture().policy());
        assertEquals(d.capture().everyNth(), ex.capture().everyNth());
        assertEquals(d.capture().belowScore(), ex.capture().belowScore());
        assertEquals(d.capture().quotaBytes(), ex.capture().quotaBytes());
        assertEquals(d.capture().enabled(), ex.capture().enabled());
        assertEquals(d.metrics(), ex.metrics());
        var cd = d.cameras().get(0).source();
        var ce = ex.cameras().get(0).source();
        assertEquals(cd.uri(), ce.uri());
        assertEquals(cd.width(), ce.width());
        assertEquals(cd.fps(), ce.fps());
        assertEquals(cd.loop(), ce.loop());
        assertEquals(cd.pace(), ce.pace());
        assertEquals(cd.stallTimeout(), ce.stallTimeout());
        assertEquals(cd.openTimeout(), ce.openTimeout());
        assertEquals(cd.reconnectInitial(), ce.reconnectInitial());
        assertEquals(cd.reconnectMax(), ce.reconnectMax());
        assertEquals(d.cameras().get(0).detect(), ex.cameras().get(0).detect());
    }

    @Test
    void errorsNameTheKeyAndTheValue() {
        assertTrue(error(MINIMAL + "mqtt:\n  qos: 3\n").contains("mqtt.qos must be between 0 and 2, got 3"));
        assertTrue(error(MINIMAL + "mqtt:\n  brokr: tcp://x:1\n").contains("unknown key 'mqtt.brokr' (did you mean 'mqtt.broker'?)"));
        assertTrue(error(MINIMAL + "model:\n  input: morse\n").contains("model.input must be one of current, poisson, regular, got 'morse'"));
        assertTrue(error(MINIMAL + "mqtt:\n  stats_interval: soon\n").contains("mqtt.stats_interval must be a duration"));
        assertTrue(error("cameras:\n  front:\n    source: x.mp4\n    roi: [0.5, 0, 0.2, 1]\n").contains("cameras.front.roi"));
        assertTrue(error("cameras:\n  front:\n    width: 10\n").contains("cameras.front.source is required"));
        assertTrue(error("node_id: a/b\n" + MINIMAL).contains("node_id"));
        assertTrue(error("cameras: {}\n").contains("at least one camera"));
        assertTrue(error(MINIMAL + "metrics:\n  enabled: maybe\n").contains("metrics.enabled must be true or false, got 'maybe'"));
        assertTrue(error(MINIMAL + "capture:\n  policy: sometimes\n").contains("capture.policy"));
        assertTrue(error(MINIMAL + "model:\n  synapse: spring:1\n").contains("model.synapse"));
        assertTrue(error(MINIMAL + "mqtt:\n  broker: mqtt://x\n").contains("mqtt.broker"));
        assertTrue(error(MINIMAL + "colour: red\n").contains("unknown key 'colour'"));
    }

    @Test
    void invalidYamlNamesTheLine() throws IOException {
        Path f = dir.resolve("node.yaml");
        Files.writeString(f, "cameras:\n  front:\n    source: [unclosed\n");
        var e = assertThrows(IOException.class, () -> NodeConfig.load(f, Map.of()));
        assertTrue(e.getMessage().contains("not valid YAML") && e.getMessage().contains("line"), e.getMessage());
        var missing = assertThrows(IOException.class, () -> NodeConfig.load(dir.resolve("nope.yaml"), Map.of()));
        assertTrue(missing.getMessage().contains("nope.yaml"));
    }

    @Test
    void environmentSubstitutionAndOverrides() throws IOException {
        NodeConfig c = load(MINIMAL + "mqtt:\n  password: ${PW}\n  username: ${USER_NAME:-robot}\n",
                Map.of("PW", "s3cret", "LIFVISION__MQTT__QOS", "1", "LIFVISION__NODE_ID", "arm7",
                        "LIFVISION__CAMERAS__FRONT__FPS", "15"));
        assertEquals("s3cret", String.valueOf(c.mqtt().client().password()));
        assertEquals("robot", c.mqtt().client().username());
        assertEquals(1, c.mqtt().qos());
        assertEquals("arm7", c.nodeId());
        assertEquals(15.0, c.cameras().get(0).source().fps());
        assertTrue(error(MINIMAL + "mqtt:\n  password: ${NOT_SET_ANYWHERE}\n").contains("NOT_SET_ANYWHERE is not set"));
        assertTrue(error(MINIMAL, Map.of("LIFVISION__MQTT__QOS", "9")).contains("mqtt.qos"));
    }

    @Test
    void relativePathsAreRelativeToTheConfigFile() throws IOException {
        NodeConfig c = load("model:\n  path: m/x.lifb\ncameras:\n  a:\n    source: clip.mp4\n  b:\n    source: dir://frames\n"
                + "capture:\n  dir: caps\n", Map.of());
        assertEquals(dir.resolve("m/x.lifb").toString(), c.model().path());
        assertEquals("file://" + dir.resolve("clip.mp4"), c.cameras().get(0).source().uri());
        assertEquals("dir://" + dir.resolve("frames"), c.cameras().get(1).source().uri());
        assertEquals(dir.resolve("caps"), c.capture().dir());
    }
}
