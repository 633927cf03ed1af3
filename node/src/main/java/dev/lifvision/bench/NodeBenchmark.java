package dev.lifvision.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifvision.bundle.Bundle;
import dev.lifvision.cli.Models;
import dev.lifvision.data.DatasetVideo;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.eval.EvalResult;
import dev.lifvision.eval.Evaluator;
import dev.lifvision.network.Network;
import dev.lifvision.network.SimOptions;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.io.File;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The vision node's benchmark (BENCHMARKS.md): the packaged node as its own process, a 30 fps MPEG-4
 * video of MNIST test digits (320x240, looping), the shipped MNIST model with its default settings,
 * a real Mosquitto, and this process as the subscriber. Reports the sustained classification rate,
 * grab-to-publish latency (measured in the node) and grab-to-receive latency (measured here, same
 * clock), frames dropped, heap and RSS at the end, time from launch to the first message, SIGTERM
 * stop time, and the network time per frame against {@code lifvision eval}'s for the same model and
 * settings, measured in this run (the baseline).
 *
 * <p>Usage: {@code java -cp node/target/lifvision-node.jar dev.lifvision.bench.NodeBenchmark
 * [MNIST_DIR] [SECONDS]} (needs {@code mosquitto} installed).
 */
public final class NodeBenchmark {
    public static void main(String[] args) throws Exception {
        String mnist = args.length > 0 ? args[0] : "../shared/datasets/mnist";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        Path work = Files.createTempDirectory("lifvision-node-bench");
        ImageSet test = Datasets.load("mnist:" + mnist, Split.TEST, null);
        System.out.printf(Locale.ROOT, "java %s, %s, %d cores; %d s run; work dir %s%n", System.getProperty("java.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), seconds, work);
        DatasetVideo video = DatasetVideo.write(work.resolve("digits.mp4"), test, 300, 6, 320, 240, 30, 1);

        String mosquitto = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        int port = freePort();
        Path mconf = work.resolve("mosquitto.conf");
        Files.writeString(mconf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        Process broker = new ProcessBuilder(mosquitto, "-c", mconf.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("mosquitto.log").toFile()).start();
        waitForPort(port);

        Path cfg = work.resolve("node.yaml");
        Files.writeString(cfg, "node_id: bench\nlog_level: info\nmodel:\n  path: mnist\ncameras:\n  front:\n"
                + "    source: file://" + video.file + "\n    loop: true\nmqtt:\n  broker: tcp://127.0.0.1:" + port
                + "\n  stats_interval: 5s\n");
        String cp = System.getProperty("java.class.path");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "--add-modules", "jdk.incubator.vector", "-cp", cp, "dev.lifvision.cli.Main", "run", "--config", cfg.toString());

        List<double[]> rows = new ArrayList<>(); // receive ms, total latency, network ms, frame id, receive - grab
        JsonNode[] lastStats = new JsonNode[1];
        ObjectMapper json = new ObjectMapper();
        MqttClient sub = new MqttClient("tcp://127.0.0.1:" + port, "bench-sub", new MemoryPersistence());
        long[] first = {0};
        sub.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) throws Exception {
                long now = System.currentTimeMillis();
                if (!topic.endsWith("/classification") && !topic.endsWith("/stats")) {
                    return;
                }
                JsonNode n = json.readTree(m.getPayload());
                if (topic.endsWith("/classification")) {
                    if (first[0] == 0) {
                        first[0] = System.nanoTime();
                    }
                    synchronized (rows) {
                        rows.add(new double[]{now, n.get("latency_ms").get("total").asDouble(),
                                n.get("latency_ms").get("network").asDouble(), n.get("frame").asDouble(),
                                now - n.get("timestamp").asDouble() * 1000});
                    }
                } else if (topic.endsWith("/stats")) {
                    lastStats[0] = n;
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        sub.connect(o);
        sub.subscribe("lifvision/bench/#", 0);

        long launch = System.nanoTime();
        Process node = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("node.log").toFile()).start();
        try {
            while (first[0] == 0 && System.nanoTime() - launch < 30_000_000_000L) {
                Thread.sleep(10);
            }
            double startSeconds = (first[0] - launch) / 1e9;
            Thread.sleep(seconds * 1000L);
            long stopAt = System.nanoTime();
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
            double stopSeconds = (System.nanoTime() - stopAt) / 1e9;
            if (sub.isConnected()) {
                sub.disconnect();
            }

            double[][] r;
            synchronized (rows) {
                r = rows.toArray(new double[0][]);
            }
            // skip the first 5 s (JIT warm-up) for the steady-state figures
            double t0 = r[0][0] + 5000;
            double tEnd = r[r.length - 1][0];
            List<double[]> steady = new ArrayList<>();
            for (double[] x : r) {
                if (x[0] >= t0) {
                    steady.add(x);
                }
            }
            double rate = (steady.size() - 1) / ((tEnd - steady.get(0)[0]) / 1000);
            long framesSpanned = (long) (steady.get(steady.size() - 1)[3] - steady.get(0)[3] + 1);
            double[] total = col(steady, 1), net = col(steady, 2), recv = col(steady, 4);
            int tenth = Math.max(1, steady.size() / 10);
            double firstTenth = pct(col(steady.subList(0, tenth), 4), 0.5);
            double lastTenth = pct(col(steady.subList(steady.size() - tenth, steady.size()), 4), 0.5);

            // the baseline: lifvision eval's network time for the same model and settings, one thread, this run
            Bundle b = Models.load("mnist");
            Network netw = Network.of(b);
            SimOptions opt = SimOptions.of(b.manifest().simulation());
            Evaluator ev = new Evaluator(netw, "spiking", opt, () -> Preprocessor.of(b));
            ImageSet sample = test.limit(500);
            ev.run(sample.limit(100), Evaluator.labelMap(sample.classNames(), netw.labels()), 1, i -> { });
            EvalResult er = ev.run(sample, Evaluator.labelMap(sample.classNames(), netw.labels()), 1, i -> { });
            double evalMs = er.perFrame(er.networkNanos) / 1e6;

            JsonNode st = lastStats[0];
            System.out.println();
            System.out.println("| figure | value | target |");
            System.out.println("|---|---|---|");
            System.out.printf(Locale.ROOT, "| classifications/s (source 30 fps) | %.1f | keeps up with 30 fps |%n", rate);
            System.out.printf(Locale.ROOT, "| frames dropped (latest frame wins) | %d of %d (%.1f %%) | no backlog |%n",
                    framesSpanned - steady.size(), framesSpanned, 100.0 * (framesSpanned - steady.size()) / framesSpanned);
            System.out.printf(Locale.ROOT, "| grab -> publish p50 / p99 (in the node) | %.1f / %.1f ms | |%n", pct(total, 0.5),
                    pct(total, 0.99));
            System.out.printf(Locale.ROOT, "| grab -> received by a subscriber p50 / p99 | %.1f / %.1f ms | |%n", pct(recv, 0.5),
                    pct(recv, 0.99));
            System.out.printf(Locale.ROOT, "| backlog: receive latency p50, first vs last tenth | %.1f vs %.1f ms | no growth |%n",
                    firstTenth, lastTenth);
            System.out.printf(Locale.ROOT, "| network ms/frame in the node (mean) vs lifvision eval (baseline) | %.2f vs %.2f ms = %.2fx | <= 1.2x |%n",
                    mean(net), evalMs, mean(net) / evalMs);
            if (st != null) {
                System.out.printf(Locale.ROOT, "| RSS / heap used at the end | %.0f MB / %.0f MB | RSS < 500 MB |%n",
                        st.get("rss_mb").asDouble(), st.get("heap_used_mb").asDouble());
                System.out.printf(Locale.ROOT, "| node CPU (fraction of all cores) | %.2f | |%n", st.get("cpu").asDouble());
            }
            System.out.printf(Locale.ROOT, "| launch -> first classification received | %.2f s | < 3 s |%n", startSeconds);
            System.out.printf(Locale.ROOT, "| SIGTERM -> process exited | %.2f s | < 2 s |%n", stopSeconds);
            System.out.printf(Locale.ROOT, "(%d messages in %.0f s; node log %s)%n", r.length, (tEnd - r[0][0]) / 1000,
                    work.resolve("node.log"));
        } finally {
            node.destroyForcibly();
            broker.destroy();
        }
    }

    private static double[] col(List<double[]> rows, int c) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[c];
        }
        return out;
    }

    private static double pct(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (Exception e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not start on port " + port);
    }
}
