package dev.lifvision.publish;

import java.time.Duration;
import java.util.Arrays;

/**
 * What the node needs from an MQTT client, kept narrow so that Paho can be replaced (an MQTT 5 client, a test
 * double) without touching the publishers.
 *
 * <p>The contract is shaped by a robot on a flaky network: nothing here throws or blocks because the broker is
 * away. A transport keeps connecting in the background (the first connect included), buffers QoS 1/2 messages
 * while disconnected, and re-establishes its subscriptions on every connect.
 */
public interface MqttTransport extends AutoCloseable {

    /**
     * Starts connecting in the background and returns at once; an unreachable broker is retried with backoff, so
     * the node may start before the broker does.
     *
     * @param will published by the broker, if the connection drops without a clean close; null for none
     * @throws IllegalStateException when called twice or after close
     */
    void start(Will will);

    /**
     * Queues a message and returns quickly. While disconnected, QoS 1/2 messages wait in a bounded FIFO buffer (the
     * oldest is dropped and counted when it is full) and are sent in order after the next connect; QoS 0 messages
     * are dropped and counted. Delivery is at least once for QoS 1/2 across reconnects: a message whose PUBACK was
     * lost with the connection is sent again.
     *
     * @throws IllegalArgumentException for an invalid topic (empty, wildcards) or QoS, never for a missing broker
     */
    void publish(String topic, byte[] payload, int qos, boolean retain);

    /**
     * Subscribes now if connected and again after every connect, since the session is clean. The handler runs on
     * the client's delivery thread: a slow handler delays every later message, and one that throws is logged and
     * does not disturb the connection.
     */
    void subscribe(String topicFilter, int qos, MessageHandler handler);

    boolean isConnected();

    /** Listeners run on the transport's own thread, in registration order; one that throws is logged and skipped. */
    void addConnectionListener(ConnectionListener listener);

    /** Successful connects since start; 1 after the first, 2 after one reconnect. */
    long connects();

    /** QoS 0 messages published while disconnected, plus QoS 1/2 messages pushed out of the full buffer. */
    long droppedOffline();

    /** Messages the broker acknowledged (QoS 1/2), or that were written to the socket (QoS 0). */
    long published();

    /** QoS 1/2 messages waiting in the buffer (not counting those sent but not yet acknowledged). */
    int buffered();

    /**
     * Waits up to {@code flushTimeout} for buffered and unacknowledged messages, disconnects cleanly (so the broker
     * does not publish the Will: publish a retained "offline" status before calling this) and stops all threads.
     * Messages still unsent after the timeout are lost. Idempotent.
     */
    void close(Duration flushTimeout);

    /** {@link #close(Duration)} with a two-second flush. */
    @Override
    default void close() {
        close(Duration.ofSeconds(2));
    }

    @FunctionalInterface
    interface MessageHandler {
        void onMessage(String topic, byte[] payload);
    }

    /** Both methods default to nothing so that a listener needs to implement only what it uses. */
    interface ConnectionListener {
        /**
         * Called after every successful connect, once the subscriptions are re-established and before buffered
         * messages are sent; the place to (re-)publish retained status and discovery messages.
         *
         * @param reconnect false for the first connect since start
         */
        default void onConnected(boolean reconnect) {
        }

        default void onConnectionLost(Throwable cause) {
        }
    }

    /** MQTT Last Will and Testament; the payload is copied on construction and on access. */
    record Will(String topic, byte[] payload, int qos, boolean retain) {
        public Will {
            Topics.validateTopic(topic);
            Topics.validateQos(qos);
            if (payload == null) {
                throw new IllegalArgumentException("will payload must not be null");
            }
            payload = payload.clone();
        }

        public static Will of(String topic, String payload, int qos, boolean retain) {
            return new Will(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, retain);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Will w && topic.equals(w.topic) && Arrays.equals(payload, w.payload) && qos == w.qos
                    && retain == w.retain;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * topic.hashCode() + Arrays.hashCode(payload)) + qos * 2 + (retain ? 1 : 0);
        }

        @Override
        public String toString() {
            return "Will[topic=" + topic + ", " + payload.length + " bytes, qos=" + qos + ", retain=" + retain + "]";
        }
    }
}
