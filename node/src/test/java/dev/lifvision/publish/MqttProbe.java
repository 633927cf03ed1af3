package dev.lifvision.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttTopic;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * An independent MQTT client (plain Paho, nothing of the code under test) that records what a broker delivers,
 * so tests can assert on what other subscribers of the node would see, retained flag included.
 *
 * <p>It reconnects by itself (Paho's automatic reconnect) and, for a clean session, subscribes again; with
 * {@link #connectPersistent} the broker keeps its session and queues messages while it is away.
 */
public final class MqttProbe implements AutoCloseable {
    private static final long TIMEOUT_MS = 5000;

    /** One delivered message. */
    public record Received(String topic, byte[] payload, boolean retained, int qos, boolean duplicate) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String t = text();
            return topic + "='" + (t.length() > 60 ? t.substring(0, 60) + "…" : t) + "'"
                    + (retained ? " (retained)" : "") + " qos" + qos + (duplicate ? " dup" : "");
        }
    }

    private final MqttAsyncClient client;
    private final boolean cleanSession;
    private final List<String> filters = new ArrayList<>();
    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    /** Taken from the queue by await but not matched yet; kept for later awaits. */
    private final List<Received> skipped = new ArrayList<>();

    private MqttProbe(String uri, String clientId, boolean cleanSession) throws MqttException {
        this.cleanSession = cleanSession;
        this.client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect && MqttProbe.this.cleanSession) {
                    resubscribe();
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                queue.add(new Received(topic, m.getPayload(), m.isRetained(), m.getQos(), m.isDuplicate()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(1000);
        o.setKeepAliveInterval(30);
        o.setMaxInflight(1000);
        client.connect(o).waitForCompletion(TIMEOUT_MS);
    }

    /** Connects with a clean session and subscribes at QoS 1 to each filter; waits for the SUBACKs. */
    public static MqttProbe connect(String uri, String... topicFilters) {
        return open(uri, "probe-" + UUID.randomUUID().toString().substring(0, 8), true, topicFilters);
    }

    /**
     * Connects with {@code cleanSession=false} under a fixed client id: the broker queues QoS 1 messages for the
     * probe while it is disconnected, and a persistent mosquitto keeps them across a restart.
     */
    public static MqttProbe connectPersistent(String uri, String clientId, String... topicFilters) {
        return open(uri, clientId, false, topicFilters);
    }

    private static MqttProbe open(String uri, String clientId, boolean clean, String... topicFilters) {
        try {
            MqttProbe p = new MqttProbe(uri, clientId, clean);
            for (String f : topicFilters) {
                p.subscribe(f);
            }
            return p;
        } catch (MqttException e) {
            throw new IllegalStateException("probe cannot connect to " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Subscribes at QoS 1 and waits for the SUBACK. */
    public void subscribe(String topicFilter) {
        synchronized (filters) {
            filters.add(topicFilter);
        }
        try {
            client.subscribe(topicFilter, 1).waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            throw new IllegalStateException("probe cannot subscribe to " + topicFilter + ": " + e.getMessage(), e);
        }
    }

    /** Publishes and waits until the broker has it (PUBACK for QoS 1). */
    public void publish(String topic, String payload, int qos, boolean retain) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    public void publish(String topic, byte[] payload, int qos, boolean retain) {
        try {
            client.publish(topic, payload, qos, retain).waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            throw new IllegalStateException("probe cannot publish to " + topic + ": " + e.getMessage(), e);
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Waits for the next message on a topic matching {@code topicFilter} (wildcards allowed) that satisfies
     * {@code predicate}, and removes it. Messages that do not match stay available to later calls.
     *
     * @throws AssertionError on timeout, listing what did arrive
     */
    public synchronized Received await(String topicFilter, Predicate<Received> predicate, Duration timeout) {
        Predicate<Received> match = r -> MqttTopic.isMatched(topicFilter, r.topic()) && predicate.test(r);
        for (Iterator<Received> it = skipped.iterator(); it.hasNext(); ) {
            Received r = it.next();
            if (match.test(r)) {
                it.remove();
                return r;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Received r = null;
            if (left > 0) {
                try {
                    r = queue.poll(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (r == null) {
                throw new AssertionError("no message on '" + topicFilter + "' matching the condition within "
                        + timeout.toMillis() + " ms; unmatched so far: " + summary(skipped));
            }
            if (match.test(r)) {
                return r;
            }
            skipped.add(r);
        }
    }

    /** Waits for the next message on a topic matching {@code topicFilter}. */
    public Received await(String topicFilter, Duration timeout) {
        return await(topicFilter, r -> true, timeout);
    }

    /** Waits for {@code n} messages on matching topics and returns them in arrival order. */
    public List<Received> awaitCount(String topicFilter, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                out.add(await(topicFilter, r -> true, Duration.ofNanos(left)));
            } catch (AssertionError e) {
                throw new AssertionError("got " + i + " of " + n + " messages on '" + topicFilter + "' within "
                        + timeout.toMillis() + " ms: " + summary(out), e);
            }
        }
        return out;
    }

    /** Asserts that nothing matching arrives within {@code window}. */
    public void assertNothing(String topicFilter, Duration window) {
        Received r;
        try {
            r = await(topicFilter, x -> true, window);
        } catch (AssertionError expected) {
            return;
        }
        throw new AssertionError("unexpected message " + r);
    }

    /** Everything received and not yet awaited, in arrival order; clears it. */
    public synchronized List<Received> drain() {
        List<Received> out = new ArrayList<>(skipped);
        skipped.clear();
        queue.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(TIMEOUT_MS);
            }
        } catch (MqttException ignored) {
            // The broker may be gone already.
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // Nothing left to release.
        }
    }

    private void resubscribe() {
        List<String> copy;
        synchronized (filters) {
            copy = new ArrayList<>(filters);
        }
        for (String f : copy) {
            try {
                // Not waiting: this runs on Paho's callback thread, which delivers the SUBACK.
                IMqttToken ignored = client.subscribe(f, 1);
            } catch (MqttException e) {
                System.err.println("probe: resubscribe to " + f + " failed: " + e.getMessage());
            }
        }
    }

    private static String summary(List<Received> list) {
        if (list.size() <= 20) {
            return list.toString();
        }
        return list.subList(0, 20) + " … (" + list.size() + " in all)";
    }
}
