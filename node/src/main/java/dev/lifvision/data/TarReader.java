package dev.lifvision.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal streaming tar reader (ustar with its {@code prefix} field, GNU 'L' long names, pax 'x'
 * {@code path=}/{@code size=} records; 'g' global headers and 'K' long link names are skipped).
 * Reads forward only, so a .tar.gz is decoded in one pass without unpacking it anywhere.
 */
final class TarReader {
    private static final int BLOCK = 512;
    private final InputStream in;
    private final String archive;
    private final byte[] header = new byte[BLOCK];
    private long unread, padding;
    private String name;
    private byte type;
    private long size;

    /** {@code archive} is only used in error messages. */
    TarReader(InputStream in, String archive) {
        this.in = in;
        this.archive = archive;
    }

    /** Advances to the next real entry (skipping the rest of the current one); false at the end of the archive. */
    boolean next() throws IOException {
        skip(unread + padding);
        unread = padding = 0;
        String longName = null, paxPath = null;
        long paxSize = -1;
        while (true) {
            if (!readHeader()) return false;
            byte t = header[156];
            long length = number(124, 12);
            if (t == 'L' || t == 'x' || t == 'g' || t == 'K') {
                if (length > 1 << 20) throw error("metadata entry of " + length + " bytes");
                byte[] data = readFully(new byte[(int) length]);
                skip(pad(length));
                if (t == 'L') {
                    longName = cString(data, 0, data.length);
                } else if (t == 'x') {
                    for (String[] kv : pax(data)) {
                        if (kv[0].equals("path")) paxPath = kv[1];
                        if (kv[0].equals("size")) paxSize = Long.parseLong(kv[1]);
                    }
                }
                continue;
            }
            type = t;
            size = paxSize >= 0 ? paxSize : length;
            name = paxPath != null ? paxPath : longName != null ? longName : ustarName();
            boolean hasData = t < '1' || t > '6'; // links, devices, dirs, fifos have none; unknown types (e.g. sparse) do
            unread = hasData ? size : 0;
            padding = hasData ? pad(size) : 0;
            return true;
        }
    }

    String name() { return name; }
    long size() { return size; }
    boolean isFile() { return (type == '0' || type == 0 || type == '7') && !name.endsWith("/"); }
    boolean isDirectory() { return type == '5' || ((type == '0' || type == 0) && name.endsWith("/")); }

    /** The current entry's data (only for files; at most 2 GB). */
    byte[] content() throws IOException {
        if (unread > Integer.MAX_VALUE - 8) throw error("entry " + name + " is too large (" + unread + " bytes)");
        byte[] data = readFully(new byte[(int) unread]);
        unread = 0;
        return data;
    }

    private boolean readHeader() throws IOException {
        int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0) return false; // no end-of-archive blocks: tolerated, as GNU tar does
        if (n < BLOCK) throw error("truncated tar header " + where());
        boolean zero = true;
        for (byte b : header) if (b != 0) { zero = false; break; }
        if (zero) return false;
        long sum = 0, signedSum = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : header[i];
            sum += b & 0xFF;
            signedSum += (byte) b;
        }
        long stored = number(148, 8);
        if (stored != sum && stored != signedSum) {
            throw error("bad tar header checksum " + where() + (name == null ? " (not a tar archive?)" : ""));
        }
        return true;
    }

    private String ustarName() {
        String base = cString(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r';
        // GNU's old format ("ustar  ") uses the prefix bytes for other things, POSIX ustar ("ustar\0") for the path prefix.
        String prefix = ustar && header[262] == 0 ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? base : prefix + "/" + base;
    }

    /** Octal (NUL/space padded) or GNU base-256 (high bit set) number field. */
    private long number(int off, int len) throws IOException {
        if ((header[off] & 0x80) != 0) {
            long v = header[off] & 0x7F;
            for (int i = 1; i < len; i++) v = (v << 8) | (header[off + i] & 0xFF);
            return v;
        }
        long v = 0;
        int i = off, end = off + len;
        while (i < end && (header[i] == ' ' || header[i] == 0)) i++;
        for (; i < end && header[i] >= '0' && header[i] <= '7'; i++) v = v * 8 + (header[i] - '0');
        for (; i < end; i++) {
            if (header[i] != ' ' && header[i] != 0) throw error("bad number in tar header " + where() + " (not a tar archive?)");
        }
        return v;
    }

    /** Pax records are "LENGTH key=value\n", LENGTH counting the whole record in bytes. */
    private java.util.List<String[]> pax(byte[] data) throws IOException {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        int pos = 0;
        while (pos < data.length && data[pos] != 0) {
            int sp = pos;
            while (sp < data.length && data[sp] != ' ') sp++;
            int len;
            try {
                len = Integer.parseInt(new String(data, pos, sp - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw error("bad pax header " + where());
            }
            if (len <= sp - pos || pos + len > data.length) throw error("bad pax header " + where());
            String rec = new String(data, sp + 1, pos + len - sp - 2, StandardCharsets.UTF_8); // minus the '\n'
            int eq = rec.indexOf('=');
            if (eq > 0) out.add(new String[] {rec.substring(0, eq), rec.substring(eq + 1)});
            pos += len;
        }
        return out;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long pad(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private byte[] readFully(byte[] buf) throws IOException {
        if (in.readNBytes(buf, 0, buf.length) < buf.length) throw error("truncated in entry " + name);
        return buf;
    }

    private void skip(long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw error("truncated in entry " + name);
        }
    }

    private String where() {
        return name == null ? "at the start of the archive" : "after entry " + name;
    }

    private DatasetException error(String what) {
        return new DatasetException(archive + ": " + what);
    }
}
