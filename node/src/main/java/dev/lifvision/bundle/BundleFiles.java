package dev.lifvision.bundle;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** The zip side of a bundle: reading entries, and writing atomically. */
final class BundleFiles {
    // A fixed entry time makes the same bundle produce the same bytes (reproducible builds, easy diffing).
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2020, 1, 1, 0, 0);

    private BundleFiles() {
    }

    static Bundle read(Path path) throws BundleException {
        String file = path.toString();
        if (!Files.isRegularFile(path)) {
            throw new BundleException(file, null, Files.exists(path) ? "not a regular file" : "no such file");
        }
        Manifest manifest = null;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        // ZipFile reads the central directory at the end, so a truncated file is caught up front.
        try (ZipFile zip = new ZipFile(path.toFile())) {
            ZipEntry me = zip.getEntry(Json.ENTRY);
            if (me == null) {
                throw new BundleException(file, Json.ENTRY, "missing: not a LIFVision bundle (a plain .npz?)");
            }
            manifest = Json.read(readEntry(zip, me, file), file);
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                String name = e.getName();
                if (e.isDirectory() || !name.endsWith(".npy")) {
                    continue; // other entries are left for future tools, like unknown manifest fields
                }
                String tensorName = name.substring(0, name.length() - 4);
                if (!Validator.TENSOR_NAME.matcher(tensorName).matches()) {
                    throw new BundleException(file, name, "bad tensor name (allowed: letters, digits, _ . -)");
                }
                if (tensors.put(tensorName, Npy.decode(readEntry(zip, e, file), file, name)) != null) {
                    throw new BundleException(file, name, "duplicate zip entry");
                }
            }
        } catch (ZipException e) {
            throw new BundleException(file, null, "not a zip archive, or truncated: " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new BundleException(file, null, "no such file", e);
        } catch (BundleException e) {
            throw e;
        } catch (IOException e) {
            throw new BundleException(file, null, "cannot read: " + e, e);
        }
        if (manifest.tensors() == null) {
            throw new BundleException(file, Json.ENTRY + ": tensors", "missing: the file was not written by Bundle.write");
        }
        Bundle b = new Bundle(manifest, tensors);
        b.validate(file);
        return b;
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry e, String file) throws BundleException {
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        } catch (IOException ex) { // bad CRC, truncated deflate stream...
            throw new BundleException(file, e.getName(), "corrupt zip entry: " + ex.getMessage(), ex);
        }
    }

    /** Writes to a temp file beside the target, fsyncs it, then renames it into place atomically. */
    static void write(Bundle b, Path path, boolean overwrite) throws BundleException {
        String file = path.toString();
        Path target = path.toAbsolutePath().normalize();
        if (!overwrite && Files.exists(target)) {
            throw new BundleException(file, null, "already exists; pass overwrite=true to replace it");
        }
        Path dir = target.getParent();
        // Not Files.createTempFile: it makes the file 0600, which the final bundle would inherit.
        Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        String entry = null;
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
                entry = Json.ENTRY;
                put(zip, entry, Json.write(b.manifest()));
                for (Map.Entry<String, Tensor> t : b.tensors().entrySet()) {
                    entry = t.getKey() + ".npy";
                    put(zip, entry, Npy.encode(t.getValue()));
                }
                entry = null;
                zip.finish();
                zip.flush();
                ch.force(true);
            }
            if (overwrite) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            syncDirectory(dir);
        } catch (IOException e) {
            throw new BundleException(file, entry, "write failed: " + e, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: a leftover dot-file is harmless
            }
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** Makes the rename itself durable across a power cut; not possible on every OS, hence best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // e.g. Windows cannot open a directory as a channel
        }
    }
}
