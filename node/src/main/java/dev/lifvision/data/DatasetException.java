package dev.lifvision.data;

import java.io.IOException;

/** A dataset that cannot be read; the message names the file (and archive entry) and what is wrong. */
public class DatasetException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
