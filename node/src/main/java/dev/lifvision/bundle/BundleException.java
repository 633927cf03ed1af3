package dev.lifvision.bundle;

import java.io.IOException;

/**
 * A bundle could not be read, validated or written. The message always has the form
 * {@code <file>: <entry or field>: <what is wrong>} so that an operator can find the culprit
 * without a debugger, e.g. {@code model.lifb: manifest.json: layers[1] (pool1).in_shape: expected [8, 8, 2], found [8, 8, 3]}.
 */
public class BundleException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String entry;

    /** @param entry the zip entry, optionally followed by a field path; null when the problem is the whole file */
    public BundleException(String file, String entry, String problem) {
        this(file, entry, problem, null);
    }

    public BundleException(String file, String entry, String problem, Throwable cause) {
        super(file + ": " + (entry == null ? "" : entry + ": ") + problem, cause);
        this.file = file;
        this.entry = entry;
    }

    public String file() {
        return file;
    }

    /** The zip entry (and field path) at fault, or null when the problem concerns the whole file. */
    public String entry() {
        return entry;
    }
}
