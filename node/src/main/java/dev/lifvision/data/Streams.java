package dev.lifvision.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** File opening shared by the readers: gzip is recognised by its magic bytes, never by the file name. */
final class Streams {
    private Streams() {}

    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Opens {@code file}, transparently decompressing it when it is gzipped. */
    static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return isGzip(file) ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    /** The whole (decompressed) content; a damaged gzip stream becomes a DatasetException naming the file. */
    static byte[] readAll(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new DatasetException(file + ": damaged or truncated gzip data (" + e.getMessage() + ")", e);
        }
    }
}
