package dev.lifvision.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MqttTransport} on Paho's MQTT 3.1.1 async client.
 *
 * <p>Paho's own automatic reconnect is not used: it never retries the first connect, and its offline buffer has
 * to be enabled separately and does not re-send what was in flight when the connection dropped. Instead a single
 * daemon thread runs the connect attempts with exponential backoff and drains this class's own buffer, which
 * also holds sent-but-unacknowledged QoS 1/2 messages until the broker's PUBACK, so that they are sent again after
 * a reconnect (the session is clean, so the broker would not resume them).
 */
public final class PahoTransport implements MqttTransport {
    private static final Logger log = LoggerFactory.getLogger(PahoTransport.class);

    /** Paho's default of 10 stalls a stream of QoS 1 messages on a link with some latency. */
    static final int MAX_INFLIGHT = 1000;

    private final MqttSettings settings;
    private final MqttAsyncClient client;
    private final TrackedSockets sockets = new TrackedSockets();
    private final SocketFactory socketFactory;
    private final ScheduledExecutorService scheduler;
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final IMqttActionListener connectListener = new ConnectListener();
    private final IMqttActionListener deliveryListener = new DeliveryListener();

    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    // Everything below is guarded by lock.
    /** Keyed by publish order, so that messages taken back from flight fall into their old place. */
    private final TreeMap<Long, Msg> buffer = new TreeMap<>();
    private final Map<Long, Msg> inflight = new HashMap<>();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private MqttConnectOptions options;
    private long nextSeq;
    private long nextAttempt;
    /** Id of the connect attempt under way, 0 when none. */
    private long attempt;
    private int failuresInARow;
    private Duration nextDelay;
    /** Bumped on every connection loss so that work scheduled for an older connection can tell. */
    private int generation;
    private boolean connected;
    /** Connected and subscriptions re-sent: from here on QoS 1/2 messages may bypass the buffer. */
    private boolean ready;
    private boolean drainScheduled;
    private boolean started;
    private boolean closing;
    private boolean closed;

    /**
     * Builds the client without connecting.
     *
     * @throws IllegalArgumentException for a truststore that is missing or cannot be read (the message names it)
     */
    public PahoTransport(MqttSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.socketFactory = sockets.wrap(settings.tls()
                ? Tls.socketFactory(settings.truststore(), settings.truststorePassword())
                : SocketFactory.getDefault());
        try {
            this.client = new MqttAsyncClient(settings.broker(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("mqtt.broker '" + settings.broker() + "' rejected by the client: "
                    + e.getMessage(), e);
        }
        client.setCallback(new Callback());
        ScheduledThreadPoolExecutor exec = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mqtt-transport " + settings.clientId());
            t.setDaemon(true);
            return t;
        });
        // Cancelled watchdogs would otherwise sit in the queue until their delay ran out.
        exec.setRemoveOnCancelPolicy(true);
        this.scheduler = exec;
        this.nextDelay = settings.reconnectInitial();
    }

    public MqttSettings settings() {
        return settings;
    }

    @Override
    public void start(Will will) {
        lock.lock();
        try {
            if (started || closing) {
                throw new IllegalStateException(closing ? "transport is closed" : "transport already started");
            }
            started = true;
            options = connectOptions(will);
        } finally {
            lock.unlock();
        }
        log.info("MQTT connecting to {} as '{}' in the background{}", settings.broker(), settings.clientId(),
                will == null ? "" : " (will on '" + will.topic() + "')");
        runLater(this::attemptConnect);
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain) {
        Topics.validateTopic(topic);
        Topics.validateQos(qos);
        Objects.requireNonNull(payload, "payload");
        // Callers reuse their buffers; the message may wait here for minutes.
        byte[] copy = payload.clone();
        Msg m;
        lock.lock();
        try {
            if (closed) {
                dropped.incrementAndGet();
                log.debug("MQTT transport closed; dropped a message for '{}'", topic);
                return;
            }
            m = new Msg(++nextSeq, topic, copy, qos, retain);
            if (qos == 0) {
                if (!connected) {
                    dropped.incrementAndGet();
                    return;
                }
            } else if (!ready || !buffer.isEmpty() || drainScheduled) {
                // Behind older buffered messages, to keep the order.
                enqueue(m);
                scheduleDrain();
                return;
            }
            inflight.put(m.seq, m);
        } finally {
            lock.unlock();
        }
        send(m);
    }

    @Override
    public void subscribe(String topicFilter, int qos, MessageHandler handler) {
        Topics.validateFilter(topicFilter);
        Topics.validateQos(qos);
        Objects.requireNonNull(handler, "handler");
        Subscription sub = new Subscription(topicFilter, qos, handler);
        boolean now;
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("transport is closed");
            }
            subscriptions.put(topicFilter, sub);
            // If not connected yet, the connect that sets connected will copy the map after this put.
            now = connected;
        } finally {
            lock.unlock();
        }
        if (now) {
            try {
                client.subscribe(topicFilter, qos, null, null, sub.listener);
            } catch (MqttException e) {
                log.debug("MQTT subscribe to '{}' deferred to the next connect: {}", topicFilter, e.getMessage());
            }
        }
    }

    @Override
    public boolean isConnected() {
        lock.lock();
        try {
            // connected AND subscribed: a caller that waits for this can rely on the subscriptions
            return connected && ready;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addConnectionListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public long connects() {
        return connects.get();
    }

    @Override
    public long droppedOffline() {
        return dropped.get();
    }

    @Override
    public long published() {
        return published.get();
    }

    @Override
    public int buffered() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the TCP connection without an MQTT DISCONNECT, as if the process had died: the broker publishes the
     * Will, and this transport reconnects as after any other loss. For tests, and for a watchdog that suspects a
     * half-open connection.
     */
    public void dropConnectionAbruptly() {
        int n = sockets.closeAll();
        log.warn("MQTT connection to {} dropped on request ({} socket(s) closed)", settings.broker(), n);
    }

    @Override
    public void close(Duration flushTimeout) {
        Objects.requireNonNull(flushTimeout, "flushTimeout");
        int left;
        lock.lock();
        if (closing) {
            lock.unlock();
            return;
        }
        closing = true;
        boolean wasStarted = started;
        try {
            long remaining = flushTimeout.toNanos();
            while (wasStarted && (!buffer.isEmpty() || !inflight.isEmpty()) && remaining > 0) {
                remaining = idle.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            left = buffer.size() + inflight.size();
            closed = true;
            connected = false;
            ready = false;
            lock.unlock();
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (client.isConnected()) {
            try {
                // Unacknowledged messages had their chance above; quiescing longer would only delay shutdown.
                client.disconnect(200).waitForCompletion(2000);
            } catch (MqttException e) {
                log.debug("MQTT clean disconnect from {} failed: {}", settings.broker(), e.getMessage());
            }
        }
        // A connect attempt still under way would otherwise keep Paho's threads alive.
        sockets.closeAll();
        try {
            client.close(true);
        } catch (MqttException e) {
            log.debug("MQTT client close: {}", e.getMessage());
        }
        if (left > 0) {
            log.warn("MQTT transport to {} closed with {} message(s) unsent after {} ms", settings.broker(), left,
                    flushTimeout.toMillis());
        }
        log.info("MQTT disconnected from {} (connects={}, published={}, dropped={})", settings.broker(),
                connects.get(), published.get(), dropped.get());
    }

    // ---- connecting -------------------------------------------------------------------------------------------

    private MqttConnectOptions connectOptions(Will will) {
        MqttConnectOptions o = new MqttConnectOptions();
        // Pinned: Paho would otherwise fall back to 3.1 and hide a broker misconfiguration.
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval(settings.keepAliveSeconds());
        o.setConnectionTimeout((int) Math.max(1, (settings.connectTimeout().toMillis() + 999) / 1000));
        o.setMaxInflight(MAX_INFLIGHT);
        o.setSocketFactory(socketFactory);
        if (settings.username() != null) {
            o.setUserName(settings.username());
        }
        if (settings.password() != null) {
            o.setPassword(settings.password().toCharArray());
        }
        if (will != null) {
            o.setWill(will.topic(), will.payload(), will.qos(), will.retain());
        }
        return o;
    }

    private void attemptConnect() {
        long id;
        MqttConnectOptions o;
        lock.lock();
        try {
            if (closing || connected || attempt != 0) {
                return;
            }
            id = ++nextAttempt;
            attempt = id;
            o = options;
        } finally {
            lock.unlock();
        }
        try {
            client.connect(o, id, connectListener);
        } catch (MqttException | RuntimeException e) {
            connectFailed(id, e);
            return;
        }
        // Paho has no CONNACK timeout; a broker that accepts TCP and then stalls would hang us forever.
        schedule(() -> connectWatchdog(id), settings.connectTimeout().plusMillis(250));
    }

    private void connectWatchdog(long id) {
        lock.lock();
        try {
            if (attempt != id) {
                return;
            }
        } finally {
            lock.unlock();
        }
        log.warn("MQTT no answer from {} within {} ms; aborting the connect attempt", settings.broker(),
                settings.connectTimeout().toMillis());
        sockets.closeAll();
    }

    private void connected(long id) {
        int gen;
        long n;
        int waiting;
        lock.lock();
        try {
            if (attempt != id) {
                return;
            }
            attempt = 0;
            if (closing) {
                return;
            }
            connected = true;
            ready = false;
            failuresInARow = 0;
            nextDelay = settings.reconnectInitial();
            gen = generation;
            n = connects.incrementAndGet();
            waiting = buffer.size();
        } finally {
            lock.unlock();
        }
        if (n == 1) {
            log.info("MQTT connected to {} as '{}'{}", settings.broker(), settings.clientId(),
                    waiting > 0 ? " (" + waiting + " buffered message(s) to send)" : "");
        } else {
            log.info("MQTT reconnected to {} (connect #{}, {} buffered message(s) to send)", settings.broker(), n,
                    waiting);
        }
        runLater(() -> afterConnect(gen, n > 1));
    }

    private void connectFailed(long id, Throwable cause) {
        Duration delay;
        int failures;
        lock.lock();
        try {
            if (attempt != id) {
                return;
            }
            attempt = 0;
            if (closing) {
                return;
            }
            delay = nextDelay;
            nextDelay = min(nextDelay.multipliedBy(2), settings.reconnectMax());
            failures = ++failuresInARow;
        } finally {
            lock.unlock();
        }
        // Loud on the first failure, then quiet: a node waiting for its broker must not flood the log.
        if (failures == 1 || failures % 20 == 0) {
            log.warn("MQTT cannot connect to {} ({} failure(s) in a row): {}; retrying in {} ms", settings.broker(),
                    failures, describe(cause), delay.toMillis());
        } else {
            log.debug("MQTT cannot connect to {}: {}; retrying in {} ms", settings.broker(), describe(cause),
                    delay.toMillis());
        }
        schedule(this::attemptConnect, delay);
    }

    /** On the transport thread: subscriptions first, so that replies to buffered requests are not missed. */
    private void afterConnect(int gen, boolean reconnect) {
        List<Subscription> subs;
        lock.lock();
        try {
            if (gen != generation || closing) {
                return;
            }
            subs = new ArrayList<>(subscriptions.values());
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
        List<IMqttToken> tokens = new ArrayList<>();
        for (Subscription s : subs) {
            try {
                tokens.add(client.subscribe(s.filter, s.qos, s.filter, null, s.listener));
            } catch (MqttException e) {
                log.debug("MQTT subscribe to '{}' failed: {}", s.filter, e.getMessage());
            }
        }
        for (IMqttToken t : tokens) {
            try {
                t.waitForCompletion(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                int[] granted = t.getGrantedQos();
                if (granted != null && granted.length > 0 && granted[0] == 0x80) {
                    log.error("MQTT broker {} refused the subscription to '{}'", settings.broker(),
                            t.getUserContext());
                }
            } catch (MqttException e) {
                log.warn("MQTT subscribe to '{}' not confirmed: {}", t.getUserContext(), e.getMessage());
            }
        }
        lock.lock();
        try {
            if (gen != generation || closing) {
                return;
            }
            ready = true;
        } finally {
            lock.unlock();
        }
        for (ConnectionListener l : listeners) {
            try {
                l.onConnected(reconnect);
            } catch (RuntimeException e) {
                log.error("MQTT connection listener {} failed", l, e);
            }
        }
        lock.lock();
        try {
            scheduleDrain();
        } finally {
            lock.unlock();
        }
    }

    private void connectionLost(Throwable cause) {
        int waiting;
        lock.lock();
        try {
            if (!connected) {
                return;
            }
            connected = false;
            ready = false;
            generation++;
            takeBackInflight();
            waiting = buffer.size();
            if (closing) {
                return;
            }
            nextDelay = min(settings.reconnectInitial().multipliedBy(2), settings.reconnectMax());
        } finally {
            lock.unlock();
        }
        log.warn("MQTT connection to {} lost: {}; {} message(s) buffered, reconnecting in {} ms",
                settings.broker(), describe(cause), waiting, settings.reconnectInitial().toMillis());
        runLater(() -> {
            for (ConnectionListener l : listeners) {
                try {
                    l.onConnectionLost(cause);
                } catch (RuntimeException e) {
                    log.error("MQTT connection listener {} failed", l, e);
                }
            }
        });
        schedule(this::attemptConnect, settings.reconnectInitial());
    }

    // ---- sending ----------------------------------------------------------------------------------------------

    /** Caller holds the lock. */
    private void scheduleDrain() {
        if (!drainScheduled && ready && !buffer.isEmpty()) {
            drainScheduled = true;
            if (!runLater(this::drain)) {
                drainScheduled = false;
            }
        }
    }

    /** On the transport thread; while it runs, publish() queues behind it so that the order holds. */
    private void drain() {
        while (true) {
            Msg m;
            lock.lock();
            try {
                if (!ready || buffer.isEmpty()) {
                    drainScheduled = false;
                    return;
                }
                m = buffer.pollFirstEntry().getValue();
                inflight.put(m.seq, m);
            } finally {
                lock.unlock();
            }
            if (!send(m)) {
                // Disconnected or Paho's in-flight window full: a reconnect or the next PUBACK resumes.
                lock.lock();
                try {
                    drainScheduled = false;
                } finally {
                    lock.unlock();
                }
                return;
            }
        }
    }

    /** The message is in {@link #inflight} on entry; returns false if Paho did not take it. */
    private boolean send(Msg m) {
        try {
            client.publish(m.topic, m.payload, m.qos, m.retain, m, deliveryListener);
            return true;
        } catch (MqttException e) {
            lock.lock();
            try {
                if (inflight.remove(m.seq) != null) {
                    if (m.qos > 0) {
                        enqueue(m);
                    } else {
                        dropped.incrementAndGet();
                    }
                }
                signalIfIdle();
            } finally {
                lock.unlock();
            }
            log.debug("MQTT publish to '{}' deferred: {}", m.topic, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            // Not a connection problem: the same message would fail again on every retry.
            lock.lock();
            try {
                inflight.remove(m.seq);
                dropped.incrementAndGet();
                signalIfIdle();
            } finally {
                lock.unlock();
            }
            log.error("MQTT message for '{}' ({} bytes) rejected by the client and dropped", m.topic,
                    m.payload.length, e);
            return true;
        }
    }

    /** Caller holds the lock. */
    private void enqueue(Msg m) {
        buffer.put(m.seq, m);
        while (buffer.size() > settings.offlineBuffer()) {
            buffer.pollFirstEntry();
            dropped.incrementAndGet();
        }
    }

    /** Caller holds the lock. With a clean session the broker forgets unacknowledged messages: send them again. */
    private void takeBackInflight() {
        for (Msg m : inflight.values()) {
            if (m.qos > 0) {
                enqueue(m);
            } else {
                dropped.incrementAndGet();
            }
        }
        inflight.clear();
        signalIfIdle();
    }

    /** Caller holds the lock. */
    private void signalIfIdle() {
        if (buffer.isEmpty() && inflight.isEmpty()) {
            idle.signalAll();
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private boolean runLater(Runnable task) {
        try {
            scheduler.execute(guarded(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false; // closing
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** An exception escaping a scheduled task would silently end the reconnect loop. */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("MQTT transport task failed", e);
            }
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "no cause given";
        }
        String s = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        Throwable c = t.getCause();
        if (c != null && c != t) {
            s += " (" + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getClass().getSimpleName()
                    + ": " + c.getMessage()) + ")";
        }
        return s;
    }

    private record Msg(long seq, String topic, byte[] payload, int qos, boolean retain) {
    }

    private static final class Subscription {
        final String filter;
        final int qos;
        final IMqttMessageListener listener;

        Subscription(String filter, int qos, MessageHandler handler) {
            this.filter = filter;
            this.qos = qos;
            // Paho closes the connection when a listener throws; one bad message must not do that.
            this.listener = (topic, message) -> {
                try {
                    handler.onMessage(topic, message.getPayload());
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    log.error("MQTT handler for '{}' failed on a message from '{}'", filter, topic, e);
                }
            };
        }
    }

    private final class ConnectListener implements IMqttActionListener {
        @Override
        public void onSuccess(IMqttToken token) {
            connected((Long) token.getUserContext());
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            connectFailed((Long) token.getUserContext(), exception);
        }
    }

    private final class DeliveryListener implements IMqttActionListener {
        @Override
        public void onSuccess(IMqttToken token) {
            Msg m = (Msg) token.getUserContext();
            lock.lock();
            try {
                // Also from the buffer: the PUBACK may be processed after the loss that took the message back.
                if (inflight.remove(m.seq) != null || buffer.remove(m.seq) != null) {
                    published.incrementAndGet();
                }
                signalIfIdle();
                scheduleDrain();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            Msg m = (Msg) token.getUserContext();
            lock.lock();
            try {
                if (inflight.remove(m.seq) != null) {
                    if (m.qos > 0) {
                        enqueue(m);
                    } else {
                        dropped.incrementAndGet();
                    }
                }
                signalIfIdle();
                scheduleDrain();
            } finally {
                lock.unlock();
            }
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            PahoTransport.this.connectionLost(cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // Every subscription has its own listener; this sees only messages no filter claims.
            log.debug("MQTT message on '{}' matched no subscription", topic);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Completion is tracked per message by DeliveryListener.
        }
    }
}
