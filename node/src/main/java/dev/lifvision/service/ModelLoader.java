package dev.lifvision.service;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.cli.Models;
import dev.lifvision.config.NodeConfig.ModelSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and loads models for the node. A reload request over MQTT names a bundle inside the
 * configured model folder (or a model shipped inside the node): the request is resolved and checked
 * against the folder before any file is opened, symbolic links included, so a command can never make
 * the node read a file elsewhere.
 */
final class ModelLoader {
    private final ModelSettings settings;

    ModelLoader(ModelSettings settings) {
        this.settings = settings;
    }

    /** The model named in the config: a shipped name or a file (anywhere; the config is trusted). */
    LoadedModel loadConfigured() throws IOException {
        return LoadedModel.prepare(Models.load(settings.path()), settings, settings.path());
    }

    /** A model asked for by a command: a name or a relative path inside the model folder, or a shipped name. */
    LoadedModel loadRequested(String request) throws IOException {
        String r = request.trim();
        if (r.isEmpty()) {
            return loadConfigured();
        }
        if (r.length() > 255 || r.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new IllegalArgumentException("model name must be up to 255 printable characters");
        }
        Path file = resolveInFolder(r);
        if (file != null) {
            return LoadedModel.prepare(Bundle.read(file), settings, file.toString());
        }
        if (!r.contains("/") && !r.contains("\\") && !r.endsWith(".lifb") && shipped(r)) {
            return LoadedModel.prepare(Models.load(r), settings, r);
        }
        throw new IllegalArgumentException("no model '" + r + "' in the model folder " + settings.folder()
                + " (and it is not a shipped model name)");
    }

    /** The file inside the model folder that {@code r} names, or null when there is none; throws when {@code r} points outside. */
    Path resolveInFolder(String r) throws IOException {
        Path folder = settings.folder().toAbsolutePath().normalize();
        Path rel;
        try {
            rel = Path.of(r);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("'" + r + "' is not a valid file name");
        }
        if (rel.isAbsolute() || r.startsWith("~")) {
            throw new IllegalArgumentException("'" + r + "' is an absolute path; name a bundle inside the model folder "
                    + folder);
        }
        Path candidate = folder.resolve(rel).normalize();
        if (!candidate.startsWith(folder)) {
            throw new IllegalArgumentException("'" + r + "' points outside the model folder " + folder);
        }
        if (!candidate.getFileName().toString().endsWith(".lifb")) {
            candidate = candidate.resolveSibling(candidate.getFileName() + ".lifb");
        }
        if (!Files.isRegularFile(candidate) || !Files.isDirectory(folder)) {
            return null;
        }
        Path real = candidate.toRealPath();
        if (!real.startsWith(folder.toRealPath())) {
            throw new IllegalArgumentException("'" + r + "' is a link that leads outside the model folder " + folder);
        }
        return real;
    }

    private static boolean shipped(String name) throws IOException {
        try (InputStream in = ModelLoader.class.getResourceAsStream("/models/" + name + ".lifb")) {
            return in != null;
        }
    }

    /** The configured model's file, when it is one (for change watching). */
    Path configuredFile() {
        Path p = Path.of(settings.path());
        return Files.isRegularFile(p) ? p : null;
    }
}
