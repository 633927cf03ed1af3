package dev.lifvision.fieldtests;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The node as a robot gets it: the x86-64 tarball from node/target, unpacked once per test JVM, and
 * its launcher {@code bin/lifvision} started as a separate process.
 */
final class Packaged {
    static final Path ROOT = Path.of(System.getProperty("lifvision.root", "..")).toAbsolutePath().normalize();
    private static Path home;

    private Packaged() {
    }

    /** The unpacked tarball's top folder (bin/, lib/, conf/, models/). */
    static synchronized Path home() throws IOException, InterruptedException {
        if (home != null) {
            return home;
        }
        Path target = ROOT.resolve("node/target");
        Path tarball;
        try (Stream<Path> s = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            tarball = s.filter(p -> p.getFileName().toString().matches("lifvision-.*-linux-x86_64\\.tar\\.gz")).findFirst()
                    .orElse(null);
        }
        if (tarball == null) {
            System.err.println("SKIPPED: no node/target/lifvision-*-linux-x86_64.tar.gz; the field tests run in "
                    + "`mvn verify` (which packages the node first)");
        }
        Assumptions.assumeTrue(tarball != null, "packaged node missing");
        // Under this module's target/, not /tmp: 46 MB per test JVM, gone with `mvn clean`, never piling up.
        Path build = Files.createDirectories(ROOT.resolve("field-tests/target"));
        Path dir = Files.createTempDirectory(build, "packaged-");
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", dir.toString()).inheritIO().start();
        if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
            throw new IOException("could not unpack " + tarball);
        }
        try (Stream<Path> s = Files.list(dir)) {
            home = s.findFirst().orElseThrow();
        }
        return home;
    }

    static Path launcher() throws IOException, InterruptedException {
        return home().resolve("bin/lifvision");
    }

    /** Starts {@code bin/lifvision ARGS} with output to {@code log}. */
    static Process start(Path log, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
