package dev.lifvision.fieldtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifvision.data.DatasetVideo;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.publish.MqttProbe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Shared pieces of the field tests: fixtures, videos, the packaged node as a process, JSON. */
final class Field {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path MNIST_FIXTURE = Packaged.ROOT.resolve("node/src/test/resources/fixtures/mnist-200");
    static final Path CIFAR_FIXTURE = Packaged.ROOT.resolve("node/src/test/resources/fixtures/cifar10-200");

    private Field() {
    }

    static ImageSet mnist200() throws IOException {
        return Datasets.load("mnist:" + MNIST_FIXTURE, Split.TEST, null);
    }

    static ImageSet cifar200() throws IOException {
        return Datasets.load("folder:" + CIFAR_FIXTURE.resolve("test"), Split.TEST, null);
    }

    static DatasetVideo video(Path file, int images, int framesPerImage, double fps) throws IOException {
        return DatasetVideo.write(file, mnist200(), images, framesPerImage, 320, 240, fps, 11);
    }

    static JsonNode json(MqttProbe.Received r) {
        try {
            return JSON.readTree(r.payload());
        } catch (IOException e) {
            throw new AssertionError("not JSON on " + r.topic() + ": " + r.text());
        }
    }

    /** A config for the packaged node: one camera, the given broker, fast stats; {@code extra} is appended YAML. */
    static Path config(Path dir, String nodeId, String source, String brokerUri, String extra) throws IOException {
        return config(dir, nodeId, source, brokerUri, extra, "mnist");
    }

    static Path config(Path dir, String nodeId, String source, String brokerUri, String extra, String model)
            throws IOException {
        Path f = dir.resolve(nodeId + ".yaml");
        Files.writeString(f, "node_id: " + nodeId + "\nlog_level: info\nmodel:\n  path: " + model + "\n  folder: " + dir.resolve("models")
                + "\ncameras:\n  front:\n    source: " + source + "\n"
                + "mqtt:\n  broker: " + brokerUri + "\n  stats_interval: 1s\n  keepalive: 2\n" + extra);
        return f;
    }

    /** The packaged node as a child process. */
    static final class Node implements AutoCloseable {
        final Process process;
        final Path log;

        Node(Path dir, Path config, Map<String, String> env) throws IOException, InterruptedException {
            log = dir.resolve(config.getFileName() + ".log");
            process = Packaged.start(log, env, "run", "--config", config.toString());
        }

        String log() throws IOException {
            return Files.exists(log) ? Files.readString(log) : "";
        }

        /** SIGTERM and wait; returns the seconds it took. */
        double stop() throws InterruptedException {
            long t0 = System.nanoTime();
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            return (System.nanoTime() - t0) / 1e9;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
