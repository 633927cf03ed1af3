package dev.lifvision.bundle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model bundle ({@code .lifb}): a manifest plus named tensors, stored as a zip that is also a NumPy
 * {@code .npz}. Immutable (as long as callers honour {@link Tensor}'s no-mutation rule). Format: node/BUNDLE.md.
 */
public final class Bundle {
    private final Manifest manifest;
    private final Map<String, Tensor> tensors;
    private volatile String sha256;

    /** @param tensors keyed by name; the iteration order is kept and becomes the zip entry order */
    public Bundle(Manifest manifest, Map<String, Tensor> tensors) {
        if (manifest == null || tensors == null) {
            throw new NullPointerException("manifest and tensors are required");
        }
        tensors.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new NullPointerException("null tensor name or tensor: " + k);
            }
        });
        this.manifest = manifest;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public Manifest manifest() {
        return manifest;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("bundle " + manifest.name() + " has no tensor " + name
                    + " (it has " + tensors.keySet() + ")");
        }
        return t;
    }

    /** Reads and fully validates a bundle. */
    public static Bundle read(Path file) throws BundleException {
        return BundleFiles.read(file);
    }

    /**
     * Fills manifest.tensors (dtype, shape, sha256) from the tensors, validates, then writes atomically
     * (temp file in the same directory, fsync, rename). The file's manifest carries the filled tensors map;
     * this object's {@link #manifest()} is unchanged.
     *
     * @param overwrite replace an existing file (atomically); when false an existing file is an error
     */
    public void write(Path file, boolean overwrite) throws BundleException {
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        tensors.forEach((name, t) -> infos.put(name, new TensorInfo(t.dtype(), t.shape().clone(), t.sha256())));
        Bundle filled = new Bundle(manifest.withTensors(infos), tensors);
        filled.validate(file.toString());
        BundleFiles.write(filled, file, overwrite);
    }

    /**
     * The "model hash" for logs: SHA-256 over the canonical manifest JSON without its tensors map (keys
     * sorted, compact) followed by one line per tensor in name order: name, dtype, shape, data sha256.
     * Independent of zip layout, entry order and JSON formatting; equal before writing and after reading.
     */
    public String sha256() {
        String h = sha256;
        if (h == null) {
            StringBuilder sb = new StringBuilder(Json.canonical(manifest.withTensors(null))).append('\n');
            new TreeMap<>(tensors).forEach((name, t) -> sb.append(name).append(' ').append(t.dtype()).append(' ')
                    .append(Arrays.toString(t.shape())).append(' ').append(t.sha256()).append('\n'));
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
                h = sha256 = HexFormat.of().formatHex(d);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
        return h;
    }

    /**
     * The checks {@link #read} makes. When manifest.tensors is null (a bundle built in memory) the
     * integrity part is skipped; {@link #write} fills it.
     *
     * @param where names the file (or origin) in messages
     */
    public void validate(String where) throws BundleException {
        try {
            Validator.validate(manifest, tensors, where);
        } catch (RuntimeException e) {
            // Safety net for an input the checks did not foresee (e.g. shapes overflowing int): still a clear error.
            throw new BundleException(where, Json.ENTRY, "invalid: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "Bundle[" + manifest.name() + ", " + tensors.size() + " tensors, sha256 " + sha256() + "]";
    }
}
