package dev.lifvision.bundle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable n-dimensional array in C (row-major) order, one of four dtypes.
 *
 * <p>To keep loading multi-megabyte weights cheap, data arrays are neither copied when a tensor is made
 * nor when they are returned: callers must not mutate an array after passing it in or getting it out.
 * The exceptions are {@link #ofFloat16} (it rounds, so it copies) and the converting getters
 * ({@link #floats()} of an int tensor, {@link #ints()} of an int8 tensor), which return fresh arrays.
 */
public final class Tensor {
    private final String dtype;
    private final int[] shape;
    private final int size;
    private final float[] floats; // float32, float16
    private final byte[] bytes;   // int8
    private final int[] ints;     // int32
    private volatile String sha256;

    private Tensor(String dtype, int[] shape, int length, float[] floats, byte[] bytes, int[] ints) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.size = product(this.shape);
        if (size != length) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + Arrays.toString(shape)
                    + " needs " + size + " values, got " + length);
        }
        this.floats = floats;
        this.bytes = bytes;
        this.ints = ints;
    }

    public static Tensor ofFloat32(int[] shape, float[] data) {
        return new Tensor("float32", shape, data.length, data, null, null);
    }

    /** Stored as IEEE half precision: {@link #floats()} returns the values rounded to half (nearest, ties to even). */
    public static Tensor ofFloat16(int[] shape, float[] data) {
        float[] rounded = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            rounded[i] = Half.round(data[i]);
        }
        return new Tensor("float16", shape, data.length, rounded, null, null);
    }

    public static Tensor ofInt8(int[] shape, byte[] data) {
        return new Tensor("int8", shape, data.length, null, data, null);
    }

    public static Tensor ofInt32(int[] shape, int[] data) {
        return new Tensor("int32", shape, data.length, null, null, data);
    }

    /** "float32", "float16", "int8" or "int32". */
    public String dtype() {
        return dtype;
    }

    /** The dimensions, outermost first. Not a copy: do not mutate. */
    public int[] shape() {
        return shape;
    }

    public int size() {
        return size;
    }

    public boolean isFloat() {
        return floats != null;
    }

    /** The values of a float tensor (not a copy), or a converted copy of an int tensor's values. */
    public float[] floats() {
        if (floats != null) {
            return floats;
        }
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = bytes != null ? bytes[i] : ints[i];
        }
        return out;
    }

    /** The values of an int32 tensor (not a copy) or of an int8 tensor (a widened copy). */
    public int[] ints() {
        if (ints != null) {
            return ints;
        }
        if (bytes == null) {
            throw new IllegalStateException(dtype + " tensor has no int values; use floats()");
        }
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = bytes[i];
        }
        return out;
    }

    /** The raw little-endian data bytes, exactly as stored after the .npy header. */
    byte[] littleEndianBytes() {
        ByteBuffer buf = ByteBuffer.allocate(size * itemSize(dtype)).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case "float32" -> buf.asFloatBuffer().put(floats);
            case "float16" -> {
                for (float f : floats) {
                    buf.putShort(Half.fromFloat(f));
                }
            }
            case "int8" -> buf.put(bytes);
            default -> buf.asIntBuffer().put(ints);
        }
        return buf.array();
    }

    /** Hex SHA-256 of {@link #littleEndianBytes()}; cached because the tensor is immutable. */
    String sha256() {
        String h = sha256;
        if (h == null) {
            h = sha256 = sha256Hex(littleEndianBytes(), 0);
        }
        return h;
    }

    /** Builds a tensor from .npy data bytes; the hash is taken from the bytes as found, so it checks the file. */
    static Tensor fromLittleEndian(String dtype, int[] shape, byte[] data, int offset) {
        ByteBuffer buf = ByteBuffer.wrap(data, offset, data.length - offset).slice().order(ByteOrder.LITTLE_ENDIAN);
        int n = product(shape);
        Tensor t;
        switch (dtype) {
            case "float32" -> {
                float[] v = new float[n];
                buf.asFloatBuffer().get(v);
                t = ofFloat32(shape, v);
            }
            case "float16" -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Half.toFloat(buf.getShort());
                }
                t = new Tensor("float16", shape, n, v, null, null);
            }
            case "int8" -> t = ofInt8(shape, Arrays.copyOfRange(data, offset, offset + n));
            case "int32" -> {
                int[] v = new int[n];
                buf.asIntBuffer().get(v);
                t = ofInt32(shape, v);
            }
            default -> throw new IllegalArgumentException("dtype " + dtype);
        }
        t.sha256 = sha256Hex(data, offset);
        return t;
    }

    static int itemSize(String dtype) {
        return switch (dtype) {
            case "float32", "int32" -> 4;
            case "float16" -> 2;
            case "int8" -> 1;
            default -> throw new IllegalArgumentException("unknown dtype " + dtype);
        };
    }

    static int product(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    static String sha256Hex(byte[] data, int offset) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, offset, data.length - offset);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Same dtype, shape and values (float values compared bitwise, so NaN equals NaN). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && dtype.equals(t.dtype) && Arrays.equals(shape, t.shape)
                && Arrays.equals(floats, t.floats) && Arrays.equals(bytes, t.bytes) && Arrays.equals(ints, t.ints);
    }

    @Override
    public int hashCode() {
        return 31 * dtype.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
