package dev.lifvision.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Small dataset files generated on the fly, so no binary fixtures are committed. */
final class Fixtures {
    private Fixtures() {}

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** IDX unsigned-byte file: magic, dimension sizes, data. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer buf = ByteBuffer.allocate(4 + 4 * dims.length + data.length).putInt(magic);
        for (int d : dims) buf.putInt(d);
        return buf.put(data).array();
    }

    static Path write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, data);
    }

    /** An image whose pixel (x, y) has colour rgb(x, y) (as 0xRRGGBB), or grey value rgb(x, y) & 0xFF. */
    static byte[] image(String format, int w, int h, boolean grey, java.util.function.IntBinaryOperator rgb) {
        BufferedImage img = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = rgb.applyAsInt(x, y);
                if (grey) img.getRaster().setSample(x, y, 0, v & 0xFF);
                else img.setRGB(x, y, v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no writer for " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] png(int w, int h, int rgb) {
        return image("png", w, h, false, (x, y) -> rgb);
    }

    /** Writes tar archives the way common tools do: plain ustar, ustar prefix, GNU 'L' long names, pax 'x' paths. */
    static final class Tar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Tar dir(String name) {
            header(name, "", 0, '5');
            return this;
        }

        /** A file; names over 100 bytes get a GNU 'L' long-name entry first, as GNU tar does. */
        Tar file(String name, byte[] data) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            if (n.length > 100) {
                byte[] withNul = java.util.Arrays.copyOf(n, n.length + 1);
                header("././@LongLink", "", withNul.length, 'L');
                body(withNul);
                name = name.substring(0, 100);
            }
            header(name, "", data.length, '0');
            body(data);
            return this;
        }

        /** A file whose name is split between the ustar prefix and name fields. */
        Tar ustarPrefixed(String prefix, String name, byte[] data) {
            header(name, prefix, data.length, '0');
            body(data);
            return this;
        }

        /** A file whose real name is in a pax extended header; the ustar name field holds something else. */
        Tar pax(String path, byte[] data) {
            String rec = " path=" + path + "\n";
            int len = rec.getBytes(StandardCharsets.UTF_8).length;
            len += String.valueOf(len + String.valueOf(len).length()).length();
            byte[] paxData = (len + rec).getBytes(StandardCharsets.UTF_8);
            header("PaxHeaders/x", "", paxData.length, 'x');
            body(paxData);
            header("truncated-name-ignored", "", data.length, '0');
            body(data);
            return this;
        }

        /** Raw tar bytes, with the two zero blocks that end an archive. */
        byte[] bytes() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            copy.writeBytes(new byte[1024]);
            return copy.toByteArray();
        }

        byte[] gz() {
            return gzip(bytes());
        }

        private void header(String name, String prefix, long size, char type) {
            byte[] h = new byte[512];
            put(h, 0, name.getBytes(StandardCharsets.UTF_8), 100);
            put(h, 100, "0000644".getBytes(StandardCharsets.US_ASCII), 8);
            put(h, 108, "0000000".getBytes(StandardCharsets.US_ASCII), 8);
            put(h, 116, "0000000".getBytes(StandardCharsets.US_ASCII), 8);
            put(h, 124, String.format("%011o", size).getBytes(StandardCharsets.US_ASCII), 12);
            put(h, 136, String.format("%011o", 0).getBytes(StandardCharsets.US_ASCII), 12);
            h[156] = (byte) type;
            put(h, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII), 6);
            put(h, 263, "00".getBytes(StandardCharsets.US_ASCII), 2);
            put(h, 345, prefix.getBytes(StandardCharsets.UTF_8), 155);
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) sum += b & 0xFF;
            put(h, 148, String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII), 8);
            out.writeBytes(h);
        }

        private void body(byte[] data) {
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        }

        private static void put(byte[] h, int off, byte[] value, int max) {
            if (value.length > max) throw new IllegalArgumentException("field too long: " + new String(value, StandardCharsets.UTF_8));
            System.arraycopy(value, 0, h, off, value.length);
        }
    }
}
