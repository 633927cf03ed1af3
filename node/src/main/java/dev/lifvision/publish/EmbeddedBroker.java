package dev.lifvision.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette (MQTT 3.1.1) in this JVM, for the quick start ({@code mqtt.embedded: true}) and tests, so that a node
 * runs without installing a broker. Anonymous access, no TLS, no WebSocket: bind it to loopback unless the
 * network is trusted.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    /** Moquette's default of 8092 bytes would reject ordinary detection messages with many boxes. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final Server server;
    private final String host;
    private final int port;
    private final long startMillis;
    private boolean closed;

    private EmbeddedBroker(Server server, String host, int port, long startMillis) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.startMillis = startMillis;
    }

    /**
     * Starts the broker and returns once it accepts connections.
     *
     * @param host           address to bind, e.g. "127.0.0.1" (only this machine) or "0.0.0.0"
     * @param port           1..65535; Moquette cannot bind port 0, use {@link #freePort()}
     * @param dataDirOrNull  directory for retained messages and sessions that survive a restart; null keeps
     *                       everything in memory
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static EmbeddedBroker start(String host, int port, Path dataDirOrNull) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("mqtt.embedded port must be 1..65535, got " + port
                    + " (Moquette cannot pick a free port itself; use EmbeddedBroker.freePort())");
        }
        Properties p = new Properties();
        p.setProperty(BrokerConstants.HOST_PROPERTY_NAME, host);
        p.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        // Telemetry would phone home from a robot, and wait on a network that may not be there.
        p.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        p.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
        // Without it Moquette may hold outgoing messages back to batch them, adding latency to every message.
        p.setProperty(BrokerConstants.BUFFER_FLUSH_MS_PROPERTY_NAME, "immediate");
        if (dataDirOrNull == null) {
            p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        } else {
            try {
                Files.createDirectories(dataDirOrNull);
            } catch (IOException e) {
                throw new UncheckedIOException("mqtt.embedded data directory '" + dataDirOrNull
                        + "' cannot be created", e);
            }
            p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
            p.setProperty(BrokerConstants.DATA_PATH_PROPERTY_NAME, dataDirOrNull.toAbsolutePath() + "/");
        }
        quietPacketLog();
        long t0 = System.nanoTime();
        requireBindable(host, port);
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(p));
        } catch (IOException | RuntimeException e) {
            server.stopServer();
            throw new UncheckedIOException("embedded MQTT broker cannot start on " + host + ":" + port,
                    e instanceof IOException io ? io : new IOException(e));
        }
        if (!accepts(host, port)) {
            server.stopServer();
            throw new UncheckedIOException(new IOException("embedded MQTT broker does not listen on " + host + ":"
                    + port));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        log.info("Embedded MQTT broker (Moquette) on {}:{} started in {} ms, {}", host, port, ms,
                dataDirOrNull == null ? "in memory" : "data in " + dataDirOrNull);
        return new EmbeddedBroker(server, host, port, ms);
    }

    /** A port that was free a moment ago; another process may still take it before it is bound. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** "tcp://host:port", for {@link MqttSettings#broker()}; a wildcard bind address becomes 127.0.0.1. */
    public String uri() {
        return "tcp://" + connectHost(host) + ":" + port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** How long {@link #start} took, for the start-up log and the benchmarks. */
    public long startMillis() {
        return startMillis;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.stopServer();
            log.info("Embedded MQTT broker on {}:{} stopped", host, port);
        }
    }

    private static String connectHost(String bindHost) {
        return bindHost.equals("0.0.0.0") || bindHost.equals("::") ? "127.0.0.1" : bindHost;
    }

    /**
     * Moquette logs every MQTT packet at INFO, which would bury the node's own log at 30 detections a second.
     * Only slf4j-simple reads this property, and only if nobody set a level for that logger already.
     */
    private static void quietPacketLog() {
        String key = "org.slf4j.simpleLogger.log.io.moquette.broker.metrics.MQTTMessageLogger";
        if (System.getProperty(key) == null) {
            System.setProperty(key, "warn");
        }
    }

    /** Moquette logs a failed bind and carries on; a node must fail at start instead of at its first client. */
    private static void requireBindable(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("embedded MQTT broker cannot bind " + host + ":" + port
                    + " (in use by another broker?)", e);
        }
    }

    private static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(connectHost(host), port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
