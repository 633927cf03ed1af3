package dev.lifvision.capture;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of PNG/JPEG images played as a camera, in file-name order: for testing a node on recorded
 * or hand-picked scenes without a camera. The folder is listed once at open; images keep their own size
 * (the requested width/height are not applied). Paced at {@code fps}, or {@value #DEFAULT_FPS} fps when 0.
 */
public final class ImageDirSource implements FrameSource {
    static final double DEFAULT_FPS = 30;

    private final CameraSettings settings;
    private final Path dir;
    private final String prefix;
    private final Pacer pacer = new Pacer();
    private List<Path> files; // null while closed
    private int next;
    private long seq;
    private int[] rowBuffer = new int[0];

    ImageDirSource(CameraSettings settings, Path dir) {
        this.settings = settings;
        this.dir = dir;
        this.prefix = "camera " + settings.name() + ": ";
    }

    Path dir() {
        return dir;
    }

    @Override
    public String describe() {
        return "image folder " + dir;
    }

    @Override
    public synchronized void open() throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(prefix + "image folder " + dir + " not found");
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(ImageDirSource::isImage).sorted().toList();
        }
        if (found.isEmpty()) throw new IOException(prefix + "image folder " + dir + " has no .png or .jpg images");
        files = found;
        next = 0;
        seq = 0;
        pacer.reset(settings.pace() ? (settings.fps() > 0 ? settings.fps() : DEFAULT_FPS) : 0);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        // Hidden files include macOS "._x.png" resource forks, which are not images.
        return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")) && Files.isRegularFile(p);
    }

    @Override
    public boolean grab(CameraFrame into) throws IOException {
        Path file;
        synchronized (this) {
            if (files == null) throw new IOException(prefix + "grab before open (or after close)");
            if (next == files.size()) {
                if (!settings.loop()) return false;
                next = 0;
            }
            file = files.get(next++);
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IOException(prefix + "cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) throw new IOException(prefix + file + " is not a readable PNG or JPEG image");
        toRgb(img, into);
        pacer.awaitNext();
        into.id = ++seq;
        into.grabNanos = System.nanoTime();
        into.wallMillis = System.currentTimeMillis();
        return true;
    }

    /** Raw samples for 8-bit grey and sRGB images (getRGB would gamma-brighten grey ones), else getRGB's sRGB. */
    private void toRgb(BufferedImage img, CameraFrame into) {
        int w = img.getWidth(), h = img.getHeight();
        into.setSize(w, h);
        byte[] dst = into.pixels;
        Raster raster = img.getRaster();
        var cm = img.getColorModel();
        boolean component8 = cm instanceof ComponentColorModel && cm.getComponentSize(0) == 8;
        int bands = raster.getNumBands();
        if (rowBuffer.length < w * Math.max(bands, 1)) rowBuffer = new int[w * Math.max(bands, 1)];
        int[] row = rowBuffer;
        if (component8 && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            for (int y = 0, o = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++, o += 3) dst[o] = dst[o + 1] = dst[o + 2] = (byte) row[x];
            }
        } else if (component8 && cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3) {
            for (int y = 0, o = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row); // bands per pixel: R, G, B (, alpha, dropped)
                for (int x = 0, i = 0; x < w; x++, i += bands, o += 3) {
                    dst[o] = (byte) row[i];
                    dst[o + 1] = (byte) row[i + 1];
                    dst[o + 2] = (byte) row[i + 2];
                }
            }
        } else {
            for (int y = 0, o = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++, o += 3) {
                    int argb = row[x];
                    dst[o] = (byte) (argb >> 16);
                    dst[o + 1] = (byte) (argb >> 8);
                    dst[o + 2] = (byte) argb;
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        files = null;
    }
}
