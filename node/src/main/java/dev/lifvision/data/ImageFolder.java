package dev.lifvision.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reader for "one sub-folder per class" image datasets, from a directory or directly from a
 * .tar.gz/.tgz (or plain .tar) archive, which is streamed once and never unpacked or cached on disk.
 *
 * <p>Layout: {@code ROOT/CLASS/FILE}, where ROOT is the directory/archive itself or its sub-folder
 * {@code subfolder} (e.g. "train"). Classes are the sub-folder names of ROOT sorted alphabetically
 * ({@link String#compareTo}, case-sensitive), label i = i-th name; folders without images still count
 * as classes so that labels agree between splits. Files directly in CLASS ending in .jpg/.jpeg/.png
 * (any case) are images, read in file-name order; other files, deeper folders and names starting with
 * '.' are ignored. Images are decoded with javax.imageio: grey images give 1 channel, colour images
 * 3 channels RGB (alpha dropped); all images must have the size and channel count of the first one.
 */
public final class ImageFolder {
    private static final int CHUNK = 256;

    private ImageFolder() {}

    /**
     * @param subfolder sub-folder holding the class folders (must exist), or null for the classes directly in {@code dirOrTarGz}
     * @param progress  called with the number of images decoded so far (about every 1000, and at the end); may be null
     */
    public static ImageSet read(Path dirOrTarGz, String subfolder, IntConsumer progress) throws IOException {
        return read(dirOrTarGz, subfolder, false, progress);
    }

    /** For "folder:X": X/train or X/test when X has both, else X's own sub-folders for either split. */
    static ImageSet readSplitOrFlat(Path root, Split split, IntConsumer progress) throws IOException {
        return read(root, split.folderName(), true, progress);
    }

    private static ImageSet read(Path root, String subfolder, boolean splitOptional, IntConsumer progress) throws IOException {
        Listing listing = new Listing(subfolder);
        if (Files.isDirectory(root)) {
            listDirectory(root, listing);
        } else if (Files.isRegularFile(root)) {
            listArchive(root, listing, splitOptional);
        } else {
            throw new DatasetException(root + ": no such directory or archive");
        }
        boolean useSub;
        if (subfolder == null) {
            useSub = false;
        } else if (splitOptional) {
            useSub = listing.topDirs.containsKey("train") && listing.topDirs.containsKey("test");
        } else if (listing.topDirs.containsKey(subfolder)) {
            useSub = true;
        } else {
            throw new DatasetException(root + ": no folder '" + subfolder + "' in it (top-level folders: " + listing.topDirs.keySet() + ")");
        }
        Map<String, List<Item>> classes = useSub ? listing.subClasses : listing.topDirs;
        String where = root + (useSub ? " (" + subfolder + ")" : "");
        List<String> names = new ArrayList<>(classes.keySet());
        List<Item> items = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            List<Item> files = classes.get(names.get(c));
            files.sort(Comparator.comparing(Item::name));
            for (Item f : files) {
                items.add(f);
                labels.add(c);
            }
        }
        if (items.isEmpty()) {
            throw new DatasetException(where + ": no .jpg/.jpeg/.png images in class folders " + names
                    + " (expected CLASS/IMAGE" + (subfolder != null && !useSub ? ", or train/ and test/ folders of those" : "") + ")");
        }
        return decodeAll(where, names, items.toArray(Item[]::new), labels.stream().mapToInt(Integer::intValue).toArray(), progress);
    }

    /** One image file: a path to read lazily (directory) or bytes already read (archive). */
    private record Item(String name, String where, Path file, byte[] data) {
        byte[] bytes() throws IOException {
            return data != null ? data : Files.readAllBytes(file);
        }
    }

    /** Folders and image files, sorted into "classes at the top" and "classes under subfolder" as they are found. */
    private static final class Listing {
        final String sub;
        final Map<String, List<Item>> topDirs = new TreeMap<>(), subClasses = new TreeMap<>();

        Listing(String sub) { this.sub = sub; }

        /** Null when the path is to be ignored (hidden); otherwise its non-empty components. */
        static String[] components(String path) {
            String[] parts = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty() && !p.equals(".")).toArray(String[]::new);
            for (String p : parts) if (p.startsWith(".")) return null;
            return parts.length == 0 ? null : parts;
        }

        boolean underSub(String[] c) { return sub != null && c[0].equals(sub); }

        /** Records the folders implied by {@code c}; returns which class list an image at {@code c} belongs to, or null. */
        List<Item> target(String[] c, boolean isDir) {
            int folders = isDir ? c.length : c.length - 1;
            if (folders >= 1) topDirs.computeIfAbsent(c[0], k -> new ArrayList<>());
            if (folders >= 2 && underSub(c)) subClasses.computeIfAbsent(c[1], k -> new ArrayList<>());
            if (isDir || !isImage(c[c.length - 1])) return null;
            if (c.length == 2) return topDirs.get(c[0]);
            if (c.length == 3 && underSub(c)) return subClasses.get(c[1]);
            return null;
        }
    }

    private static boolean isImage(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    private static void listDirectory(Path root, Listing listing) throws IOException {
        try (Stream<Path> walk = Files.walk(root, 3, FileVisitOption.FOLLOW_LINKS)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) continue;
                String[] c = Listing.components(root.relativize(p).toString().replace('\\', '/'));
                if (c == null) continue;
                List<Item> target = listing.target(c, Files.isDirectory(p));
                if (target != null) target.add(new Item(c[c.length - 1], p.toString(), p, null));
            }
        }
    }

    private static void listArchive(Path archive, Listing listing, boolean splitOptional) throws IOException {
        try (InputStream in = Streams.open(archive)) {
            TarReader tar = new TarReader(in, archive.toString());
            while (tar.next()) {
                if (!tar.isFile() && !tar.isDirectory()) continue;
                String[] c = Listing.components(tar.name());
                if (c == null) continue;
                List<Item> target = listing.target(c, tar.isDirectory());
                // Keep only the bytes this split can use: the other split's images are skipped unread.
                boolean wanted = c.length == 3 || listing.sub == null || splitOptional;
                if (target != null && wanted) {
                    target.add(new Item(c[c.length - 1], archive + " [entry " + tar.name() + "]", null, tar.content()));
                }
            }
            in.transferTo(java.io.OutputStream.nullOutputStream()); // to the end, so gzip checks its CRC and length
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new DatasetException(archive + ": damaged or truncated gzip data (" + e.getMessage() + ")", e);
        }
    }

    private record Decoded(int height, int width, int channels, byte[] pixels) {
        String shape() { return height + "x" + width + "x" + channels; }
    }

    /** Decodes in parallel (ImageIO is the bottleneck) into one array; order and errors stay deterministic. */
    private static ImageSet decodeAll(String where, List<String> classNames, Item[] items, int[] labels, IntConsumer progress)
            throws IOException {
        int n = items.length;
        Item firstItem = items[0];
        Decoded first = decode(firstItem);
        long total = (long) n * first.pixels.length;
        if (total > Integer.MAX_VALUE - 8) throw new DatasetException(where + ": " + n + " images of " + first.shape() + " are too many for one array");
        byte[] pixels = new byte[(int) total];
        System.arraycopy(first.pixels, 0, pixels, 0, first.pixels.length);
        int threads = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "image-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Integer>> chunks = new ArrayList<>();
            for (int start = 1; start < n; start += CHUNK) {
                int from = start, to = Math.min(n, start + CHUNK);
                chunks.add(pool.submit((Callable<Integer>) () -> {
                    for (int i = from; i < to; i++) {
                        Decoded d = decode(items[i]);
                        if (d.height != first.height || d.width != first.width || d.channels != first.channels) {
                            throw new DatasetException(items[i].where + ": image is " + d.shape() + " (HxWxC) but the first image, "
                                    + firstItem.where + ", is " + first.shape() + "; all images must have the same size and channel count");
                        }
                        System.arraycopy(d.pixels, 0, pixels, i * d.pixels.length, d.pixels.length);
                        items[i] = null; // the encoded bytes are no longer needed
                    }
                    return to - from;
                }));
            }
            int done = 1;
            for (Future<Integer> chunk : chunks) {
                int before = done;
                done += chunk.get();
                if (progress != null && done / 1000 != before / 1000 && done < n) progress.accept(done);
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new DatasetException(where + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while decoding " + where);
        } finally {
            pool.shutdownNow();
        }
        if (progress != null) progress.accept(n);
        return new ImageSet(where, classNames, first.height, first.width, first.channels, pixels, labels);
    }

    private static Decoded decode(Item item) throws IOException {
        byte[] bytes = item.bytes();
        BufferedImage img;
        try {
            // An explicit in-memory stream: ImageIO.read(InputStream) may buffer through a temp file per image.
            img = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException | RuntimeException e) { // corrupt data also surfaces as runtime exceptions from the codecs
            throw new DatasetException(item.where + ": cannot decode image (" + e.getMessage() + ")", e);
        }
        if (img == null) throw new DatasetException(item.where + ": not a JPEG or PNG image (no decoder recognises its " + bytes.length + " bytes)");
        try {
            return pixels(img);
        } catch (RuntimeException e) {
            throw new DatasetException(item.where + ": cannot convert image pixels (" + e + ")", e);
        }
    }

    /** Channels-last 8-bit pixels; raw samples where they are already 8-bit grey/sRGB, else via getRGB's sRGB conversion. */
    private static Decoded pixels(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth();
        Raster raster = img.getRaster();
        var cm = img.getColorModel();
        boolean component = cm instanceof ComponentColorModel;
        if (component && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // Raw samples: getRGB would apply the linear-grey -> sRGB gamma curve and brighten the image.
            int[] s = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            int max = (1 << cm.getComponentSize(0)) - 1;
            byte[] out = new byte[w * h];
            for (int i = 0; i < out.length; i++) out[i] = (byte) (max == 255 ? s[i] : (s[i] * 255L + max / 2) / max);
            return new Decoded(h, w, 1, out);
        }
        byte[] out = new byte[w * h * 3];
        if (component && cm.getColorSpace().isCS_sRGB() && cm.getComponentSize(0) == 8 && cm.getNumColorComponents() == 3) {
            int bands = raster.getNumBands(); // 3, or 4 with alpha last
            int[] s = raster.getPixels(0, 0, w, h, (int[]) null);
            for (int p = 0; p < w * h; p++) {
                out[3 * p] = (byte) s[bands * p];
                out[3 * p + 1] = (byte) s[bands * p + 1];
                out[3 * p + 2] = (byte) s[bands * p + 2];
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int p = 0; p < argb.length; p++) {
                out[3 * p] = (byte) (argb[p] >> 16);
                out[3 * p + 1] = (byte) (argb[p] >> 8);
                out[3 * p + 2] = (byte) argb[p];
            }
        }
        return new Decoded(h, w, 3, out);
    }
}
