package dev.lifvision.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EmbeddedBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void roundTripThroughTheTransport() throws Exception {
        boolean dataDirBefore = Files.exists(Path.of("data"));
        long t0 = System.nanoTime();
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", EmbeddedBroker.freePort(), null)) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("embedded broker (in memory) started in " + ms + " ms (own measure "
                    + broker.startMillis() + " ms)");
            assertEquals("tcp://127.0.0.1:" + broker.port(), broker.uri());
            UncheckedIOException busy = assertThrows(UncheckedIOException.class,
                    () -> EmbeddedBroker.start("127.0.0.1", broker.port(), null));
            assertTrue(busy.getMessage().contains(":" + broker.port()), busy.getMessage());

            PahoTransport t = new PahoTransport(MqttSettings.defaults("embedded-test").withBroker(broker.uri()));
            try (MqttProbe probe = MqttProbe.connect(broker.uri(), "emb/#")) {
                BlockingQueue<String> got = new LinkedBlockingQueue<>();
                t.subscribe("cmd/#", 1, (topic, payload) -> got.add(new String(payload, UTF_8)));
                t.start(null);
                TestWait.until(t::isConnected, WAIT, "connected to the embedded broker");

                // Bigger than Moquette's default frame limit of 8092 bytes.
                byte[] big = new byte[100_000];
                t.publish("emb/big", big, 1, false);
                t.publish("emb/status", "online".getBytes(UTF_8), 1, true);
                assertEquals(big.length, probe.await("emb/big", WAIT).payload().length);
                assertEquals("online", probe.await("emb/status", WAIT).text());
                probe.publish("cmd/go", "go", 1, false);
                assertEquals("go", got.poll(5, TimeUnit.SECONDS));
                try (MqttProbe later = MqttProbe.connect(broker.uri(), "emb/status")) {
                    MqttProbe.Received r = later.await("emb/status", WAIT);
                    assertEquals("online", r.text());
                    // Moquette 0.17 sends retained messages to new subscribers without the RETAIN flag
                    // (mosquitto sets it; see PahoTransportTest), so only the payload is checked here.
                }
            } finally {
                t.close(Duration.ofSeconds(1));
            }
        }
        if (!dataDirBefore) {
            assertFalse(Files.exists(Path.of("data")), "in-memory broker must not write a data/ directory");
        }
    }

    @Test
    void portZeroIsRejectedWithAHint() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedBroker.start("127.0.0.1", 0, null));
        assertTrue(zero.getMessage().contains("freePort"), zero.getMessage());
    }

    @Test
    void retainedMessagesSurviveARestartWithADataDir(@TempDir Path dir) {
        int port = EmbeddedBroker.freePort();
        long t0 = System.nanoTime();
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port, dir.resolve("mqtt"))) {
            System.out.println("embedded broker (persistent) started in " + (System.nanoTime() - t0) / 1_000_000
                    + " ms");
            try (MqttProbe p = MqttProbe.connect(broker.uri())) {
                p.publish("keep/status", "online", 1, true);
            }
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port, dir.resolve("mqtt"));
             MqttProbe p = MqttProbe.connect(broker.uri(), "keep/status")) {
            MqttProbe.Received r = p.await("keep/status", WAIT);
            assertEquals("online", r.text()); // RETAIN flag: see roundTripThroughTheTransport
        }
    }
}
