package dev.lifvision.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ssl:// end to end: mosquitto with a throw-away self-signed certificate, trusted through a PKCS12 truststore. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsTransportTest {

    @Test
    void roundTripOverTlsWithATruststore(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "SKIPPED: openssl not installed");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path key = dir.resolve("server.key");
        Path cert = dir.resolve("server.crt");
        run(dir, "/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString());
        Path truststore = dir.resolve("ca.p12");
        run(dir, keytool.toString(), "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        // mosquitto may run as another user: let it read the key.
        key.toFile().setReadable(true, false);

        int port = EmbeddedBroker.freePort();
        try (MosquittoBroker broker = MosquittoBroker.start(port, false,
                "certfile " + cert, "keyfile " + key)) {
            PahoTransport t = new PahoTransport(MqttSettings.defaults("tls-test")
                    .withBroker("ssl://127.0.0.1:" + broker.port())
                    .withTruststore(truststore, "changeit"));
            try {
                BlockingQueue<String> got = new LinkedBlockingQueue<>();
                t.subscribe("tls/#", 1, (topic, payload) -> got.add(new String(payload, UTF_8)));
                t.start(null);
                t.publish("tls/hello", "over tls".getBytes(UTF_8), 1, false);
                assertEquals("over tls", got.poll(10, TimeUnit.SECONDS));
                assertEquals(1, t.connects());
            } finally {
                t.close(Duration.ofSeconds(1));
            }
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
        }
    }
}
