package dev.lifvision.publish;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real mosquitto broker in its own process, for tests that need what an in-process broker cannot give: killing
 * and restarting the broker under a running client, on the same port.
 *
 * <p>Without mosquitto installed, {@link #start()} aborts the calling test (it is reported as skipped, with the
 * command that installs it) instead of failing the build.
 */
public final class MosquittoBroker implements AutoCloseable {
    public static final String SKIP_MESSAGE =
            "SKIPPED: mosquitto not installed — apt-get install -y mosquitto mosquitto-clients";
    private static final long START_TIMEOUT_MS = 5000;

    private final Path binary;
    private final Path dir;
    private final Path config;
    private final Path logFile;
    private final int port;
    private Process process;

    private MosquittoBroker(Path binary, Path dir, int port, boolean persistence, String... extraConfig)
            throws IOException {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.config = dir.resolve("mosquitto.conf");
        this.logFile = dir.resolve("mosquitto.log");
        List<String> lines = new ArrayList<>(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                // Tests publish fast bursts; the default of 1000 could drop messages for a slow subscriber.
                "max_queued_messages 100000"));
        if (persistence) {
            // Sessions and queued messages of persistent clients then survive restart(): saved on SIGTERM.
            lines.add("persistence true");
            lines.add("persistence_location " + dir.toAbsolutePath() + File.separator);
            lines.add("autosave_interval 0");
        } else {
            lines.add("persistence false");
        }
        if ("root".equals(System.getProperty("user.name"))) {
            // As root, mosquitto would switch to the user 'mosquitto', which may not be able to read the temp dir.
            lines.add("user root");
        }
        lines.addAll(List.of(extraConfig));
        Files.write(config, lines, StandardCharsets.UTF_8);
    }

    /** Starts on a free loopback port, without persistence. */
    public static MosquittoBroker start() {
        return start(EmbeddedBroker.freePort(), false);
    }

    /** Starts on the given loopback port, e.g. one a client was pointed at before the broker existed. */
    public static MosquittoBroker start(int port) {
        return start(port, false);
    }

    /**
     * @param persistence keep sessions of {@code cleanSession=false} clients, with their queued messages, across
     *                    {@link #restart()}: what a test needs to receive everything published while its own
     *                    subscriber was reconnecting
     */
    public static MosquittoBroker start(int port, boolean persistence) {
        return start(port, persistence, new String[0]);
    }

    /**
     * @param extraConfig lines appended to the generated configuration; they apply to the one listener, e.g.
     *                    {@code certfile}/{@code keyfile} for TLS
     */
    public static MosquittoBroker start(int port, boolean persistence, String... extraConfig) {
        Path binary = findBinary();
        if (binary == null) {
            System.err.println("\n*** " + SKIP_MESSAGE + " ***\n");
            Assumptions.abort(SKIP_MESSAGE);
        }
        try {
            MosquittoBroker b = new MosquittoBroker(binary, Files.createTempDirectory("mosquitto-test"), port,
                    persistence, extraConfig);
            b.launch();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when a mosquitto binary is found: /usr/sbin/mosquitto, or mosquitto on the PATH. */
    public static boolean installed() {
        return findBinary() != null;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** SIGTERM and wait: mosquitto closes its connections (clients see the loss) and saves persistence. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** SIGKILL: no orderly shutdown and no saving. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops and starts again on the same port, with the same configuration. */
    public void restart() {
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts again after {@link #stop()} or {@link #kill()}. */
    public void startAgain() {
        if (running()) {
            throw new IllegalStateException("mosquitto already running on port " + port);
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What mosquitto has logged so far, for failure messages. */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp dir left behind is harmless.
        }
    }

    private void launch() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-c", config.toString());
        pb.redirectErrorStream(true);
        // Appending keeps the log of the run before a restart, which is what explains a failed restart.
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        process = pb.start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + " on port " + port
                        + ":\n" + log());
            }
            if (accepts()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("mosquitto did not accept connections on port " + port + " within "
                + START_TIMEOUT_MS + " ms:\n" + log());
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path findBinary() {
        Path sbin = Path.of("/usr/sbin/mosquitto");
        if (Files.isExecutable(sbin)) {
            return sbin;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                Path p = Path.of(d, "mosquitto");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
