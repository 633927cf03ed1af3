package dev.lifvision.cli;

import dev.lifvision.bundle.Bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Resolves a model argument: a path to a {@code .lifb} file, or the name of a model shipped with
 * the node ({@code mnist}, {@code cifar10}), stored as resources under {@code /models/}.
 */
public final class Models {
    private Models() {
    }

    public static Bundle load(String ref) throws IOException {
        Path p = Path.of(ref);
        if (Files.isRegularFile(p)) {
            return Bundle.read(p);
        }
        if (!ref.contains("/") && !ref.endsWith(".lifb")) {
            try (InputStream in = Models.class.getResourceAsStream("/models/" + ref + ".lifb")) {
                if (in != null) {
                    Path tmp = Files.createTempFile("lifvision-" + ref, ".lifb");
                    try {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                        return Bundle.read(tmp);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                }
            }
        }
        throw new IOException("model '" + ref + "' is neither a .lifb file nor a shipped model name"
                + (Files.exists(p) ? " (it is not a regular file)" : " (no such file)"));
    }
}
