package dev.lifvision.bundle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The NumPy .npy format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html), for our four dtypes. */
final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Map<String, String> DESCR = Map.of("float32", "<f4", "float16", "<f2", "int8", "|i1", "int32", "<i4");
    private static final Map<String, String> DTYPE = Map.of("<f4", "float32", "<f2", "float16", "|i1", "int8", "<i4", "int32");
    private static final Pattern DESCR_KEY = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN_KEY = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE_KEY = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Version 1.0 header + data, the header padded (as numpy does) so the data starts 64-byte aligned. */
    static byte[] encode(Tensor t) {
        String dims = Arrays.stream(t.shape()).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String tuple = "(" + dims + (t.shape().length == 1 ? ",)" : ")"); // Python tuple syntax: (3,) (3, 4) ()
        String dict = "{'descr': '" + DESCR.get(t.dtype()) + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] data = t.littleEndianBytes();
        ByteBuffer out = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header).put(data);
        return out.array();
    }

    /** Parses a whole .npy entry; every problem names the file and entry. */
    static Tensor decode(byte[] b, String file, String entry) throws BundleException {
        if (b.length < 10 || !Arrays.equals(Arrays.copyOf(b, 6), MAGIC)) {
            throw new BundleException(file, entry, "bad magic: not a .npy array (expected \\x93NUMPY)");
        }
        int major = b[6], minor = b[7];
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            start = 10;
        } else if ((major == 2 || major == 3) && b.length >= 12) { // numpy switches to these only for huge headers
            headerLen = buf.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new BundleException(file, entry, "unsupported .npy format version " + major + "." + minor);
        }
        if (start + headerLen > b.length) {
            throw new BundleException(file, entry, "truncated .npy header (" + headerLen + " bytes announced, "
                    + (b.length - start) + " present)");
        }
        int dataStart = (int) (start + headerLen);
        String header = new String(b, start, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).strip();
        if (!header.startsWith("{") || !header.endsWith("}")) {
            throw new BundleException(file, entry, "malformed .npy header " + quote(header));
        }
        String descr = group(DESCR_KEY, header, "descr", file, entry);
        String dtype = DTYPE.get(descr);
        if (dtype == null) {
            throw new BundleException(file, entry, "unsupported dtype '" + descr
                    + "' (supported: <f4 float32, <f2 float16, |i1 int8, <i4 int32, all little-endian)");
        }
        if (group(FORTRAN_KEY, header, "fortran_order", file, entry).equals("True")) {
            throw new BundleException(file, entry, "fortran_order True is not supported (save a C-order array)");
        }
        int[] shape = parseShape(group(SHAPE_KEY, header, "shape", file, entry), file, entry);
        long expected = (long) Tensor.product(shape) * Tensor.itemSize(dtype);
        long found = b.length - dataStart;
        if (found != expected) {
            throw new BundleException(file, entry, "data is " + found + " bytes but shape " + Arrays.toString(shape)
                    + " of " + descr + " needs " + expected);
        }
        return Tensor.fromLittleEndian(dtype, shape, b, dataStart);
    }

    private static int[] parseShape(String tuple, String file, String entry) throws BundleException {
        List<Integer> dims = new ArrayList<>();
        for (String part : tuple.split(",")) {
            String p = part.strip();
            if (p.endsWith("L")) { // Python 2 longs
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                int d = Integer.parseInt(p);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new BundleException(file, entry, "bad dimension " + quote(p) + " in .npy shape (" + tuple + ")");
            }
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        try {
            Tensor.product(shape);
        } catch (IllegalArgumentException e) {
            throw new BundleException(file, entry, e.getMessage());
        }
        return shape;
    }

    private static String group(Pattern p, String header, String key, String file, String entry) throws BundleException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new BundleException(file, entry, ".npy header has no valid '" + key + "': " + quote(header));
        }
        return m.group(1);
    }

    private static String quote(String s) {
        return "\"" + (s.length() > 120 ? s.substring(0, 120) + "..." : s) + "\"";
    }
}
