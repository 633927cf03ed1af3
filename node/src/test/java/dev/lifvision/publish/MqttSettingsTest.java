package dev.lifvision.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttSettingsTest {

    private static void rejects(String expectedMessagePart, Supplier<?> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().contains(expectedMessagePart),
                "message '" + e.getMessage() + "' should contain '" + expectedMessagePart + "'");
    }

    @Test
    void defaults() {
        MqttSettings s = MqttSettings.defaults("robot-1");
        assertEquals("tcp://127.0.0.1:1883", s.broker());
        assertEquals(10, s.keepAliveSeconds());
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(Duration.ofMillis(500), s.reconnectInitial());
        assertEquals(Duration.ofSeconds(30), s.reconnectMax());
        assertEquals(1000, s.offlineBuffer());
        assertFalse(s.tls());
        assertTrue(s.withBroker("SSL://broker.local:8883").tls());
        MqttSettings nulls = new MqttSettings(null, "r", null, null, null, null, 10, null, null, null, 0);
        assertEquals(MqttSettings.DEFAULT_BROKER, nulls.broker());
        assertEquals(MqttSettings.DEFAULT_RECONNECT_MAX, nulls.reconnectMax());
    }

    @Test
    void invalidValuesNameTheKey() {
        MqttSettings s = MqttSettings.defaults("robot-1");
        rejects("mqtt.broker 'foo' must start with tcp:// or ssl://", () -> s.withBroker("foo"));
        rejects("mqtt.broker 'ws://h:1' must start with tcp:// or ssl://", () -> s.withBroker("ws://h:1"));
        rejects("mqtt.broker must not contain credentials", () -> s.withBroker("tcp://u:secret@h:1883"));
        rejects("mqtt.broker 'tcp://'", () -> s.withBroker("tcp://"));
        rejects("mqtt.broker 'tcp://h:1/x' must not have a path", () -> s.withBroker("tcp://h:1/x"));
        rejects("mqtt.client_id must not be blank", () -> s.withClientId(" "));
        rejects("mqtt.keepalive must be between 1 and 65535 seconds, got 0", () -> s.withKeepAliveSeconds(0));
        rejects("mqtt.keepalive", () -> s.withKeepAliveSeconds(70_000));
        rejects("mqtt.connect_timeout must be positive", () -> s.withConnectTimeout(Duration.ZERO));
        rejects("mqtt.reconnect_initial must be positive",
                () -> s.withReconnect(Duration.ofMillis(-1), Duration.ofSeconds(1)));
        rejects("mqtt.reconnect_max (PT1S) must not be shorter than mqtt.reconnect_initial (PT2S)",
                () -> s.withReconnect(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        rejects("mqtt.offline_buffer must be 0 or more", () -> s.withOfflineBuffer(-1));
        rejects("mqtt.password needs mqtt.username", () -> s.withCredentials(null, "pw"));
    }

    @Test
    void passwordsStayOutOfToString() {
        MqttSettings s = MqttSettings.defaults("robot-1").withCredentials("user", "s3cret")
                .withTruststore(Path.of("ca.p12"), "tsPass");
        assertFalse(s.toString().contains("s3cret"), s.toString());
        assertFalse(s.toString().contains("tsPass"), s.toString());
        assertTrue(s.toString().contains("user"));
    }

    @Test
    void missingTruststoreNamesThePath() {
        Path missing = Path.of("/nonexistent/dir/ca-store.jks");
        MqttSettings s = MqttSettings.defaults("robot-1").withBroker("ssl://127.0.0.1:8883")
                .withTruststore(missing, "changeit");
        rejects("mqtt.truststore '" + missing + "'", () -> new PahoTransport(s));
    }

    @Test
    void unreadableTruststoreNamesThePath(@TempDir Path dir) throws Exception {
        Path garbage = dir.resolve("ca.p12");
        Files.writeString(garbage, "not a keystore");
        MqttSettings s = MqttSettings.defaults("robot-1").withBroker("ssl://127.0.0.1:8883")
                .withTruststore(garbage, "changeit");
        rejects("mqtt.truststore '" + garbage + "' cannot be read as PKCS12", () -> new PahoTransport(s));
        Path jks = Files.writeString(dir.resolve("ca.jks"), "junk");
        rejects("cannot be read as JKS", () -> new PahoTransport(s.withTruststore(jks, null)));
        rejects("mqtt.truststore '" + dir + "' does not exist or is not a file",
                () -> new PahoTransport(s.withTruststore(dir, null)));
    }

    @Test
    void willRejectsWildcardsAndCopiesThePayload() {
        rejects("wildcards", () -> MqttTransport.Will.of("a/#", "x", 1, true));
        rejects("qos", () -> MqttTransport.Will.of("a", "x", 5, true));
        byte[] p = {1, 2};
        MqttTransport.Will w = new MqttTransport.Will("a/b", p, 1, true);
        p[0] = 9;
        assertEquals(1, w.payload()[0]);
        assertEquals(w, new MqttTransport.Will("a/b", new byte[] {1, 2}, 1, true));
    }
}
