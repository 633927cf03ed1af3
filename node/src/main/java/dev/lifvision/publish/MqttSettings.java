package dev.lifvision.publish;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Connection settings of the node's MQTT client. Messages name the configuration key ({@code mqtt.*}) so that a
 * wrong value in the node's YAML file can be found without reading this class.
 *
 * @param broker             {@code tcp://host:port} or {@code ssl://host:port}; null means {@link #DEFAULT_BROKER}
 * @param clientId           must be unique per broker: a second client with the same id disconnects the first
 * @param username           null for anonymous access
 * @param password           null when the broker wants none; never logged, masked in {@link #toString()}
 * @param truststore         JKS or PKCS12 (by extension .p12/.pfx) file with the CA of an ssl:// broker; null means
 *                           the JVM's default trust store
 * @param truststorePassword null when the store has none
 * @param keepAliveSeconds   the broker publishes the Will after 1.5 times this without traffic
 * @param connectTimeout     for the TCP/TLS connect and the CONNACK together
 * @param reconnectInitial   first delay after a failed attempt or a lost connection; doubles per failure
 * @param reconnectMax       upper bound of that delay
 * @param offlineBuffer      QoS 1/2 messages kept while disconnected (the oldest are dropped beyond it); 0 keeps none
 */
public record MqttSettings(
        String broker,
        String clientId,
        String username,
        String password,
        Path truststore,
        String truststorePassword,
        int keepAliveSeconds,
        Duration connectTimeout,
        Duration reconnectInitial,
        Duration reconnectMax,
        int offlineBuffer) {

    public static final String DEFAULT_BROKER = "tcp://127.0.0.1:1883";
    public static final int DEFAULT_KEEP_ALIVE_SECONDS = 10;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECONNECT_INITIAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);
    public static final int DEFAULT_OFFLINE_BUFFER = 1000;

    public MqttSettings {
        if (broker == null) {
            broker = DEFAULT_BROKER;
        }
        if (connectTimeout == null) {
            connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        }
        if (reconnectInitial == null) {
            reconnectInitial = DEFAULT_RECONNECT_INITIAL;
        }
        if (reconnectMax == null) {
            reconnectMax = DEFAULT_RECONNECT_MAX;
        }
        validateBroker(broker);
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("mqtt.client_id must not be blank");
        }
        // MQTT strings carry a 16-bit length prefix.
        if (clientId.length() > 65535) {
            throw new IllegalArgumentException("mqtt.client_id must be at most 65535 characters, got " + clientId.length());
        }
        if (username != null && username.isEmpty()) {
            throw new IllegalArgumentException("mqtt.username must not be empty (leave it out for anonymous access)");
        }
        if (password != null && username == null) {
            // MQTT 3.1.1 forbids a password without a user name; brokers close such connections.
            throw new IllegalArgumentException("mqtt.password needs mqtt.username");
        }
        if (keepAliveSeconds < 1 || keepAliveSeconds > 65535) {
            // 0 would switch keep-alive off, and with it the Will of a node whose network silently died.
            throw new IllegalArgumentException(
                    "mqtt.keepalive must be between 1 and 65535 seconds, got " + keepAliveSeconds);
        }
        requirePositive("mqtt.connect_timeout", connectTimeout);
        requirePositive("mqtt.reconnect_initial", reconnectInitial);
        requirePositive("mqtt.reconnect_max", reconnectMax);
        if (reconnectMax.compareTo(reconnectInitial) < 0) {
            throw new IllegalArgumentException("mqtt.reconnect_max (" + reconnectMax
                    + ") must not be shorter than mqtt.reconnect_initial (" + reconnectInitial + ")");
        }
        if (offlineBuffer < 0) {
            throw new IllegalArgumentException("mqtt.offline_buffer must be 0 or more messages, got " + offlineBuffer);
        }
    }

    /** Defaults for everything but the client id. */
    public static MqttSettings defaults(String clientId) {
        return new MqttSettings(DEFAULT_BROKER, clientId, null, null, null, null, DEFAULT_KEEP_ALIVE_SECONDS,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_RECONNECT_INITIAL, DEFAULT_RECONNECT_MAX, DEFAULT_OFFLINE_BUFFER);
    }

    public MqttSettings withBroker(String newBroker) {
        return new MqttSettings(newBroker, clientId, username, password, truststore, truststorePassword,
                keepAliveSeconds, connectTimeout, reconnectInitial, reconnectMax, offlineBuffer);
    }

    public MqttSettings withClientId(String newClientId) {
        return new MqttSettings(broker, newClientId, username, password, truststore, truststorePassword,
                keepAliveSeconds, connectTimeout, reconnectInitial, reconnectMax, offlineBuffer);
    }

    public MqttSettings withCredentials(String newUsername, String newPassword) {
        return new MqttSettings(broker, clientId, newUsername, newPassword, truststore, truststorePassword,
                keepAliveSeconds, connectTimeout, reconnectInitial, reconnectMax, offlineBuffer);
    }

    public MqttSettings withTruststore(Path newTruststore, String newTruststorePassword) {
        return new MqttSettings(broker, clientId, username, password, newTruststore, newTruststorePassword,
                keepAliveSeconds, connectTimeout, reconnectInitial, reconnectMax, offlineBuffer);
    }

    public MqttSettings withKeepAliveSeconds(int seconds) {
        return new MqttSettings(broker, clientId, username, password, truststore, truststorePassword,
                seconds, connectTimeout, reconnectInitial, reconnectMax, offlineBuffer);
    }

    public MqttSettings withConnectTimeout(Duration timeout) {
        return new MqttSettings(broker, clientId, username, password, truststore, truststorePassword,
                keepAliveSeconds, timeout, reconnectInitial, reconnectMax, offlineBuffer);
    }

    public MqttSettings withReconnect(Duration initial, Duration max) {
        return new MqttSettings(broker, clientId, username, password, truststore, truststorePassword,
                keepAliveSeconds, connectTimeout, initial, max, offlineBuffer);
    }

    public MqttSettings withOfflineBuffer(int messages) {
        return new MqttSettings(broker, clientId, username, password, truststore, truststorePassword,
                keepAliveSeconds, connectTimeout, reconnectInitial, reconnectMax, messages);
    }

    public boolean tls() {
        return broker.regionMatches(true, 0, "ssl://", 0, 6);
    }

    /** The record's generated toString would print the password into logs and exception messages. */
    @Override
    public String toString() {
        return "MqttSettings[broker=" + broker + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "null" : "****") + ", truststore=" + truststore
                + ", truststorePassword=" + (truststorePassword == null ? "null" : "****")
                + ", keepAliveSeconds=" + keepAliveSeconds + ", connectTimeout=" + connectTimeout
                + ", reconnectInitial=" + reconnectInitial + ", reconnectMax=" + reconnectMax
                + ", offlineBuffer=" + offlineBuffer + "]";
    }

    private static void validateBroker(String broker) {
        String lower = broker.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("tcp://") && !lower.startsWith("ssl://")) {
            throw new IllegalArgumentException("mqtt.broker '" + broker + "' must start with tcp:// or ssl://");
        }
        URI uri;
        try {
            uri = new URI(broker);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("mqtt.broker '" + broker + "' is not a valid URI: " + e.getReason());
        }
        if (uri.getRawUserInfo() != null) {
            // Credentials in the URI would end up in every log line that names the broker.
            throw new IllegalArgumentException(
                    "mqtt.broker must not contain credentials; use mqtt.username and mqtt.password");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("mqtt.broker '" + broker + "' has no host (expected scheme://host:port)");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("mqtt.broker '" + broker + "' must not have a path");
        }
    }

    private static void requirePositive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + d);
        }
    }
}
