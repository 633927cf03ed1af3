package dev.lifvision.fieldtests;

import com.sun.net.httpserver.HttpServer;
import dev.lifvision.data.ImageSet;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A network camera the tests control: MJPEG over HTTP (multipart/x-mixed-replace, what cheap IP
 * cameras serve), frames made from dataset images scaled into a larger frame. It can stall (keep
 * the connection, stop sending), resume, die (stop listening) and come back on the same port.
 */
final class MjpegCamera implements AutoCloseable {
    private final ImageSet images;
    private final int port;
    private final double fps;
    private HttpServer server;
    private volatile boolean stalled;
    private volatile long served;

    MjpegCamera(ImageSet images, int port, double fps) {
        this.images = images;
        this.port = port;
        this.fps = fps;
    }

    String uri() {
        return "http://127.0.0.1:" + port + "/video.mjpg";
    }

    long served() {
        return served;
    }

    synchronized MjpegCamera start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mjpeg-camera");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/video.mjpg", ex -> {
            ex.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=frame");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                int i = 0;
                long next = System.nanoTime();
                while (true) {
                    if (stalled) {
                        sleep(20);
                        continue;
                    }
                    byte[] jpg = jpeg(i++ % images.size());
                    out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpg.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(jpg);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    served++;
                    next += (long) (1e9 / fps);
                    sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                }
            } catch (IOException e) {
                // the client went away or the server stopped
            }
        });
        server.start();
        return this;
    }

    void stall() {
        stalled = true;
    }

    void resume() {
        stalled = false;
    }

    /** The camera dies: connections drop, the port refuses. */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    private byte[] jpeg(int i) throws IOException {
        int w = 160, h = 120, iw = images.width(), ih = images.height(), c = images.channels();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = images.pixels();
        int base = i * images.imageSize();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = (x - (w - h) / 2) * iw / h, sy = y * ih / h;
                int rgb = 0;
                if (sx >= 0 && sx < iw) {
                    int o = base + (sy * iw + sx) * c;
                    int r = px[o] & 0xff, g = px[o + (c == 3 ? 1 : 0)] & 0xff, b = px[o + (c == 3 ? 2 : 0)] & 0xff;
                    rgb = (r << 16) | (g << 8) | b;
                }
                img.setRGB(x, y, rgb);
            }
        }
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", bo);
        return bo.toByteArray();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
