package dev.lifvision.cli;

import dev.lifvision.config.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the vision node: capture frames, classify them with the spiking network and",
                "publish the results over MQTT, until stopped (Ctrl-C or SIGTERM).", "",
                "Every setting and its default: launch/node.example.yaml.",
                "Environment: ${VAR} in values; LIFVISION__SECTION__KEY=value overrides a key.", "",
                "Examples:",
                "  lifvision run --config node.yaml",
                "  lifvision run --config node.yaml --check-config"})
final class RunCommand implements Callable<Integer> {
    static final Path SYSTEM_CONFIG = Path.of("/etc/lifvision/node.yaml");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The node's YAML config (default: /etc/lifvision/node.yaml).")
    Path config;

    @Option(names = "--check-config", description = "Validate the config and the model it names, print a summary, exit.")
    boolean checkOnly;

    @Option(names = "--print", description = "Also print each classification as one line on standard output.")
    boolean print;

    @Option(names = "--run-for", paramLabel = "SECONDS", description = "Stop by itself after this many seconds (benchmarks, demos).")
    Double runFor;

    @Option(names = "--frames", paramLabel = "N", description = "Stop by itself after N classifications (non-interactive demo, tests).")
    Long frames;

    @Override
    public Integer call() throws Exception {
        Path file = config != null ? config : SYSTEM_CONFIG;
        if (config == null && !Files.exists(file)) {
            throw new IllegalArgumentException("no --config given and " + SYSTEM_CONFIG
                    + " does not exist (start from launch/node.example.yaml)");
        }
        NodeConfig cfg = NodeConfig.load(file);
        configureLogging(cfg.logLevel());
        if (checkOnly) {
            var m = Models.load(cfg.model().path());
            cfg.readout().checkLabels(m.manifest().labels());
            System.out.printf("%s: OK — node %s, model %s (%d labels), %d camera(s): %s; MQTT %s%n", file, cfg.nodeId(),
                    m.manifest().name(), m.manifest().labels().size(), cfg.cameras().size(),
                    String.join(", ", cfg.cameras().stream().map(c -> c.name() + " " + c.source().uri()).toList()),
                    cfg.mqtt().enabled() ? (cfg.mqtt().embedded() ? "embedded broker on port " + cfg.mqtt().embeddedPort()
                            : cfg.mqtt().client().broker()) : "off");
            return 0;
        }
        var node = new dev.lifvision.service.VisionNode(cfg, print ? System.out : null);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            node.start();
        } catch (Exception e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            node.close();
            throw e;
        }
        if (runFor == null && frames == null) {
            stopped.await();
            return 0;
        }
        if (frames != null && frames < 1) {
            throw new IllegalArgumentException("--frames must be at least 1, got " + frames);
        }
        long deadline = runFor == null ? Long.MAX_VALUE : System.nanoTime() + Math.round(runFor * 1e9);
        while (!stopped.await(20, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() >= deadline || (frames != null && node.classified() >= frames)) {
                Runtime.getRuntime().removeShutdownHook(hook);
                node.close();
                break;
            }
        }
        return 0;
    }

    /** slf4j-simple reads its settings once, when the first logger is made: this runs before any is. */
    static void configureLogging(String level) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.moquette", "warn");
    }
}
