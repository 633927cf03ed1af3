package dev.lifvision.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Against a real mosquitto in its own process, since the point is surviving that process going away. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PahoTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    private static MqttSettings settings(String uri) {
        return MqttSettings.defaults("test-" + UUID.randomUUID().toString().substring(0, 8))
                .withBroker(uri)
                .withReconnect(Duration.ofMillis(200), Duration.ofMillis(800));
    }

    private PahoTransport transport(MqttSettings s) {
        PahoTransport t = new PahoTransport(s);
        toClose.add(() -> t.close(Duration.ofSeconds(1)));
        return t;
    }

    private static void awaitConnected(MqttTransport t) {
        TestWait.until(t::isConnected, WAIT, "transport connected");
    }

    private static byte[] bytes(Object o) {
        return String.valueOf(o).getBytes(UTF_8);
    }

    /** Collects what the transport's own subscription delivers. */
    private static final class Inbox implements MqttTransport.MessageHandler {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(String topic, byte[] payload) {
            queue.add(new String(payload, UTF_8));
        }

        List<String> take(int n, Duration timeout) throws InterruptedException {
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < n) {
                String s = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (s == null) {
                    throw new AssertionError("got " + out.size() + " of " + n + " messages: " + out);
                }
                out.add(s);
            }
            return out;
        }
    }

    @Test
    void roundTripQos0Qos1AndRetained() throws Exception {
        MosquittoBroker broker = closeLater(MosquittoBroker.start());
        MqttProbe probe = closeLater(MqttProbe.connect(broker.uri(), "rt/#"));
        MqttSettings s = settings(broker.uri());
        PahoTransport t = new PahoTransport(s);
        t.start(null);
        awaitConnected(t);

        t.publish("rt/q0", bytes("zero"), 0, false);
        t.publish("rt/q1", bytes("one"), 1, false);
        MqttProbe.Received q0 = probe.await("rt/q0", WAIT);
        MqttProbe.Received q1 = probe.await("rt/q1", WAIT);
        assertEquals("zero", q0.text());
        assertEquals(0, q0.qos());
        assertEquals("one", q1.text());
        assertEquals(1, q1.qos());
        assertFalse(q1.retained());

        t.publish("rt/status", bytes("online"), 1, true);
        TestWait.until(() -> t.published() == 3, WAIT, () -> "published " + t.published());
        try (MqttProbe later = MqttProbe.connect(broker.uri(), "rt/status")) {
            MqttProbe.Received r = later.await("rt/status", WAIT);
            assertEquals("online", r.text());
            assertTrue(r.retained(), "a later subscriber sees the retained flag");
        }

        // Subscribing while connected takes effect at once, not only at the next connect.
        Inbox inbox = new Inbox();
        t.subscribe("cmd/+", 1, inbox);
        TestWait.until(() -> {
            probe.publish("cmd/x", "hello", 1, false);
            return inbox.queue.poll() != null;
        }, WAIT, "command reached the transport");

        assertEquals(1, t.connects());
        assertEquals(0, t.droppedOffline());
        t.close(Duration.ofSeconds(1));
        assertFalse(t.isConnected());
        TestWait.until(() -> threadsOf(s.clientId()).isEmpty(), WAIT,
                () -> "threads still alive after close: " + threadsOf(s.clientId()));
        t.publish("rt/q1", bytes("late"), 1, false); // closed: dropped, not thrown
        t.close(Duration.ofSeconds(1)); // idempotent
    }

    @Test
    void firstConnectIsRetriedAndBufferedMessagesArriveInOrder() throws Exception {
        int port = EmbeddedBroker.freePort();
        PahoTransport t = transport(settings("tcp://127.0.0.1:" + port));
        Inbox inbox = new Inbox();
        t.subscribe("first/#", 1, inbox);
        List<Boolean> connectedEvents = new CopyOnWriteArrayList<>();
        t.addConnectionListener(new MqttTransport.ConnectionListener() {
            @Override
            public void onConnected(boolean reconnect) {
                connectedEvents.add(reconnect);
            }
        });
        t.start(null);
        for (int i = 1; i <= 10; i++) {
            t.publish("first/m", bytes(i), 1, false);
        }
        t.publish("first/q0", bytes("lost"), 0, false);
        assertEquals(10, t.buffered());
        assertEquals(1, t.droppedOffline(), "QoS 0 while disconnected is dropped");
        Thread.sleep(500); // several refused attempts: the first connect must not be given up
        assertFalse(t.isConnected());
        assertEquals(0, t.connects());

        closeLater(MosquittoBroker.start(port));
        List<String> got = inbox.take(10, WAIT);
        assertEquals(IntStream.rangeClosed(1, 10).mapToObj(String::valueOf).collect(Collectors.toList()), got);
        assertEquals(1, t.connects());
        TestWait.until(() -> t.published() == 10, WAIT, () -> "published " + t.published());
        assertEquals(0, t.buffered());
        assertEquals(List.of(false), connectedEvents);
    }

    @Test
    void brokerRestartMidStreamLosesNothingAndResubscribes() throws Exception {
        int n = 300;
        MosquittoBroker broker = closeLater(MosquittoBroker.start(EmbeddedBroker.freePort(), true));
        // A persistent session on a persistent broker: the probe gets everything even if the transport
        // reconnects before the probe does.
        MqttProbe probe = closeLater(MqttProbe.connectPersistent(broker.uri(),
                "probe-restart-" + UUID.randomUUID().toString().substring(0, 6), "stream/#"));
        PahoTransport t = transport(settings(broker.uri()));
        Inbox commands = new Inbox();
        t.subscribe("robot/cmd", 1, commands);
        List<String> events = new CopyOnWriteArrayList<>();
        t.addConnectionListener(new MqttTransport.ConnectionListener() {
            @Override
            public void onConnected(boolean reconnect) {
                events.add(reconnect ? "reconnected" : "connected");
            }

            @Override
            public void onConnectionLost(Throwable cause) {
                events.add("lost");
            }
        });
        t.start(null);
        awaitConnected(t);

        AtomicInteger sent = new AtomicInteger();
        Thread publisher = new Thread(() -> {
            for (int i = 1; i <= n; i++) {
                t.publish("stream/seq", bytes(i), 1, false);
                sent.set(i);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-publisher");
        publisher.start();
        TestWait.until(() -> sent.get() >= 60, WAIT, "publisher started");
        broker.restart();
        int atRestart = sent.get();
        publisher.join(20_000);
        assertTrue(atRestart < n, "the restart happened mid-stream");

        Set<Integer> got = new TreeSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (got.size() < n && System.nanoTime() < deadline) {
            try {
                got.add(Integer.parseInt(probe.await("stream/seq", Duration.ofMillis(500)).text()));
            } catch (AssertionError e) {
                // keep waiting until the deadline
            }
        }
        List<Integer> missing = IntStream.rangeClosed(1, n).filter(i -> !got.contains(i)).boxed().toList();
        assertEquals(List.of(), missing, "messages lost across the restart");
        assertEquals(2, t.connects());
        TestWait.until(() -> t.published() == n, WAIT, () -> "published " + t.published());
        assertEquals(0, t.droppedOffline());
        assertEquals(0, t.buffered());
        assertEquals(List.of("connected", "lost", "reconnected"), events);

        // The transport's own subscription came back with the reconnect.
        probe.publish("robot/cmd", "stop", 1, false);
        assertEquals(List.of("stop"), commands.take(1, WAIT));
    }

    @Test
    void fullOfflineBufferDropsTheOldest() throws Exception {
        int port = EmbeddedBroker.freePort();
        PahoTransport t = transport(settings("tcp://127.0.0.1:" + port).withOfflineBuffer(5));
        Inbox inbox = new Inbox();
        t.subscribe("buf/#", 1, inbox);
        t.start(null);
        for (int i = 1; i <= 8; i++) {
            t.publish("buf/m", bytes(i), 1, false);
        }
        assertEquals(3, t.droppedOffline());
        assertEquals(5, t.buffered());

        closeLater(MosquittoBroker.start(port));
        assertEquals(List.of("4", "5", "6", "7", "8"), inbox.take(5, WAIT));
        assertEquals(null, inbox.queue.poll(300, TimeUnit.MILLISECONDS));
        assertEquals(3, t.droppedOffline());
    }

    @Test
    void willIsPublishedWhenTheConnectionDiesButNotOnCleanClose() throws Exception {
        MosquittoBroker broker = closeLater(MosquittoBroker.start());
        MqttProbe probe = closeLater(MqttProbe.connect(broker.uri(), "node/+/status"));
        int keepAlive = 2;
        // Slow reconnect: the transport stays away while the will is observed.
        PahoTransport dying = transport(settings(broker.uri()).withKeepAliveSeconds(keepAlive)
                .withReconnect(Duration.ofSeconds(20), Duration.ofSeconds(20)));
        dying.start(MqttTransport.Will.of("node/a/status", "offline", 1, true));
        awaitConnected(dying);
        dying.publish("node/a/status", bytes("online"), 1, true);
        assertEquals("online", probe.await("node/a/status", WAIT).text());

        long t0 = System.nanoTime();
        dying.dropConnectionAbruptly();
        Duration bound = Duration.ofMillis((long) (1.5 * keepAlive * 1000) + 2000);
        MqttProbe.Received will = probe.await("node/a/status", r -> r.text().equals("offline"), bound);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("will received " + ms + " ms after the connection died (bound " + bound.toMillis() + ")");
        assertEquals(1, will.qos());
        TestWait.until(() -> !dying.isConnected(), WAIT, "loss noticed");
        try (MqttProbe later = MqttProbe.connect(broker.uri(), "node/a/status")) {
            MqttProbe.Received r = later.await("node/a/status", WAIT);
            assertEquals("offline", r.text());
            assertTrue(r.retained());
        }

        PahoTransport clean = transport(settings(broker.uri()).withKeepAliveSeconds(keepAlive));
        clean.start(MqttTransport.Will.of("node/b/status", "offline", 1, true));
        awaitConnected(clean);
        clean.publish("node/b/status", bytes("online"), 1, true);
        assertEquals("online", probe.await("node/b/status", WAIT).text());
        clean.close(Duration.ofSeconds(1));
        probe.assertNothing("node/b/status", Duration.ofMillis(800));
    }

    @Test
    void throwingHandlerDoesNotBreakLaterDeliveries() throws Exception {
        MosquittoBroker broker = closeLater(MosquittoBroker.start());
        MqttProbe probe = closeLater(MqttProbe.connect(broker.uri()));
        PahoTransport t = transport(settings(broker.uri()));
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        t.subscribe("h/#", 1, (topic, payload) -> {
            String s = new String(payload, UTF_8);
            if (s.equals("boom")) {
                throw new IllegalStateException("handler failure on purpose (expected in the log)");
            }
            got.add(s);
        });
        t.start(null);
        awaitConnected(t);
        probe.publish("h/a", "boom", 1, false);
        probe.publish("h/a", "ok1", 1, false);
        probe.publish("h/b", "ok2", 0, false);
        // QoS 0 and QoS 1 messages from one client are not ordered against each other: compare as a set
        java.util.Set<String> both = new java.util.HashSet<>();
        both.add(got.poll(5, TimeUnit.SECONDS));
        both.add(got.poll(5, TimeUnit.SECONDS));
        assertEquals(java.util.Set.of("ok1", "ok2"), both);
        assertTrue(t.isConnected());
        assertEquals(1, t.connects());
    }

    @Test
    void stalledBrokerIsAbortedAfterTheConnectTimeout() throws Exception {
        // Accepts TCP and never answers: Paho alone would wait for the CONNACK forever.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-broker");
            acceptor.setDaemon(true);
            acceptor.start();
            PahoTransport t = transport(settings("tcp://127.0.0.1:" + silent.getLocalPort())
                    .withConnectTimeout(Duration.ofMillis(500)));
            t.start(null);
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                t.publish("s/m", bytes(i), 1, false);
            }
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos(), "publish must not block");
            TestWait.until(() -> accepted.size() >= 2, WAIT, () -> "attempts seen: " + accepted.size());
            assertFalse(t.isConnected());
            assertEquals(100, t.buffered());
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void misuseIsRejected() {
        PahoTransport t = transport(settings("tcp://127.0.0.1:1"));
        assertThrowsMessage(() -> t.publish("a/+/b", bytes(1), 1, false), "wildcards");
        assertThrowsMessage(() -> t.publish("a", bytes(1), 3, false), "qos");
        assertThrowsMessage(() -> t.subscribe("a/b#", 1, (x, y) -> { }), "#");
        t.start(null);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> t.start(null));
    }

    private static void assertThrowsMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException x = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }

    private static List<String> threadsOf(String clientId) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.contains(clientId))
                .toList();
    }
}
