package dev.lifvision.bundle;

import java.util.Arrays;
import java.util.Objects;

/**
 * What manifest.json records about one tensor, so a reader can check the data it finds.
 * {@code sha256} is the hex SHA-256 of the raw little-endian data bytes (the .npy entry minus its header).
 * Do not mutate {@code shape}.
 */
public record TensorInfo(String dtype, int[] shape, String sha256) {
    // Records compare arrays by identity; value semantics make manifests comparable.
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && Objects.equals(dtype, t.dtype) && Arrays.equals(shape, t.shape)
                && Objects.equals(sha256, t.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), sha256);
    }

    @Override
    public String toString() {
        return "TensorInfo[" + dtype + Arrays.toString(shape) + ", sha256=" + sha256 + "]";
    }
}
