package dev.lifvision.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lifvision.capture.CameraState;
import dev.lifvision.config.NodeConfig.MetricsSettings;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;

/** Prometheus text exposition on {@code /metrics} and a health probe on {@code /healthz} (JDK HTTP server, off by default). */
final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final VisionNode node;

    private MetricsServer(HttpServer server, VisionNode node) {
        this.server = server;
        this.node = node;
    }

    static MetricsServer start(MetricsSettings s, VisionNode node) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(s.bind(), s.port()), 8);
        } catch (java.net.BindException e) {
            throw new IOException("metrics.port " + s.port() + " on " + s.bind() + " is in use (" + e.getMessage() + ")");
        }
        MetricsServer m = new MetricsServer(server, node);
        server.createContext("/metrics", m::metrics);
        server.createContext("/healthz", m::healthz);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return m;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void metrics(HttpExchange ex) throws IOException {
        StringBuilder sb = new StringBuilder(4096);
        help(sb, "lifvision_frames_grabbed_total", "counter", "Frames read from the camera.");
        for (CameraWorker w : node.workers()) {
            line(sb, "lifvision_frames_grabbed_total", w.name(), w.camera.grabbed());
        }
        help(sb, "lifvision_frames_dropped_total", "counter", "Frames replaced by a newer one before inference (latest frame wins).");
        for (CameraWorker w : node.workers()) {
            line(sb, "lifvision_frames_dropped_total", w.name(), w.camera.dropped());
        }
        help(sb, "lifvision_frames_classified_total", "counter", "Frames classified and published.");
        for (CameraWorker w : node.workers()) {
            line(sb, "lifvision_frames_classified_total", w.name(), w.classified.get());
        }
        help(sb, "lifvision_frame_errors_total", "counter", "Frames that failed in preprocessing or the network.");
        for (CameraWorker w : node.workers()) {
            line(sb, "lifvision_frame_errors_total", w.name(), w.errors.get());
        }
        help(sb, "lifvision_camera_reconnects_total", "counter", "Grabber rebuilds after errors or stalls.");
        for (CameraWorker w : node.workers()) {
            line(sb, "lifvision_camera_reconnects_total", w.name(), w.camera.reconnects());
        }
        help(sb, "lifvision_camera_up", "gauge", "1 when the camera delivers frames.");
        for (CameraWorker w : node.workers()) {
            line(sb, "lifvision_camera_up", w.name(), w.camera.state() == CameraState.ONLINE ? 1 : 0);
        }
        help(sb, "lifvision_latency_seconds", "summary", "Grab-to-publish latency over the last 4096 frames.");
        for (CameraWorker w : node.workers()) {
            double[] q = w.totalLatency.quantilesMillis(0.5, 0.9, 0.99);
            String[] names = {"0.5", "0.9", "0.99"};
            for (int i = 0; i < q.length; i++) {
                if (!Double.isNaN(q[i])) {
                    sb.append(String.format(Locale.ROOT, "lifvision_latency_seconds{camera=\"%s\",quantile=\"%s\"} %.6f%n",
                            w.name(), names[i], q[i] / 1000));
                }
            }
        }
        var mqtt = node.mqtt();
        if (mqtt != null) {
            help(sb, "lifvision_mqtt_connected", "gauge", "1 while connected to the broker.");
            sb.append("lifvision_mqtt_connected ").append(mqtt.isConnected() ? 1 : 0).append('\n');
            help(sb, "lifvision_mqtt_dropped_total", "counter", "Messages dropped while disconnected (QoS 0, or beyond the buffer).");
            sb.append("lifvision_mqtt_dropped_total ").append(mqtt.droppedOffline()).append('\n');
            help(sb, "lifvision_mqtt_buffered", "gauge", "QoS 1 messages waiting for the broker.");
            sb.append("lifvision_mqtt_buffered ").append(mqtt.buffered()).append('\n');
        }
        var rec = node.recorder();
        help(sb, "lifvision_captures_saved_total", "counter", "Field captures written.");
        sb.append("lifvision_captures_saved_total ").append(rec.saved()).append('\n');
        help(sb, "lifvision_capture_failures_total", "counter", "Field captures that could not be written.");
        sb.append("lifvision_capture_failures_total ").append(rec.failures()).append('\n');
        var p = node.process();
        help(sb, "lifvision_heap_bytes", "gauge", "JVM heap in use.");
        sb.append("lifvision_heap_bytes ").append(p.heapUsed()).append('\n');
        help(sb, "lifvision_native_bytes", "gauge", "Native memory held via JavaCPP and direct buffers.");
        sb.append("lifvision_native_bytes ").append(p.javacppBytes() + p.directBytes()).append('\n');
        help(sb, "lifvision_rss_bytes", "gauge", "Resident set size of the process.");
        sb.append("lifvision_rss_bytes ").append(ProcessStats.rssBytes()).append('\n');
        help(sb, "lifvision_model_info", "gauge", "The model being served.");
        LoadedModel m = node.model();
        sb.append("lifvision_model_info{name=\"").append(escape(m.name())).append("\",hash=\"").append(m.hash())
                .append("\"} 1\n");
        send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", sb.toString());
    }

    private void healthz(HttpExchange ex) throws IOException {
        boolean ok = true;
        StringBuilder sb = new StringBuilder("{\"cameras\":{");
        for (CameraWorker w : node.workers()) {
            CameraState s = w.camera.state();
            ok &= s == CameraState.ONLINE;
            sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ",").append('"').append(w.name()).append("\":\"")
                    .append(VisionNode.healthState(s)).append('"');
        }
        sb.append('}');
        var mqtt = node.mqtt();
        if (mqtt != null) {
            ok &= mqtt.isConnected();
            sb.append(",\"mqtt\":").append(mqtt.isConnected() ? "\"connected\"" : "\"disconnected\"");
        }
        sb.append(",\"ok\":").append(ok).append('}');
        send(ex, ok ? 200 : 503, "application/json", sb.toString());
    }

    private static void help(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void line(StringBuilder sb, String name, String camera, long v) {
        sb.append(name).append("{camera=\"").append(escape(camera)).append("\"} ").append(v).append('\n');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
