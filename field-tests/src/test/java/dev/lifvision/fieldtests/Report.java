package dev.lifvision.fieldtests;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The field tests' Markdown summary: one row per scenario (pass/fail and its figures), printed to
 * the build log and appended to field-tests/target/field-tests.md.
 */
public final class Report implements TestWatcher, AfterAllCallback, BeforeEachCallback {
    private static final Map<String, String> FIGURES = new LinkedHashMap<>();
    private static final List<String> ROWS = new ArrayList<>();

    private static volatile String current = "";

    @Override
    public void beforeEach(ExtensionContext c) {
        current = c.getRequiredTestMethod().getName();
    }

    /** Records a figure for the scenario (test method) running now; also printed at once. */
    static synchronized void figure(String text) {
        System.out.println("[" + current + "] " + text);
        FIGURES.merge(current, text, (a, b) -> a + "; " + b);
    }

    private static synchronized void row(ExtensionContext c, String result) {
        String name = c.getRequiredTestMethod().getName();
        ROWS.add("| " + c.getRequiredTestClass().getSimpleName() + " | " + name + " | " + result + " | "
                + FIGURES.getOrDefault(name, "") + " |");
    }

    @Override
    public void testSuccessful(ExtensionContext c) {
        row(c, "pass");
    }

    @Override
    public void testFailed(ExtensionContext c, Throwable cause) {
        row(c, "**FAIL**");
    }

    @Override
    public void testAborted(ExtensionContext c, Throwable cause) {
        row(c, "skipped: " + cause.getMessage());
    }

    @Override
    public void testDisabled(ExtensionContext c, Optional<String> reason) {
        row(c, "disabled" + reason.map(r -> ": " + r).orElse(""));
    }

    @Override
    public synchronized void afterAll(ExtensionContext c) throws IOException {
        if (ROWS.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("\n| suite | scenario | result | figures |\n|---|---|---|---|\n");
        for (String r : ROWS) {
            sb.append(r).append('\n');
        }
        System.out.println("\n=== field tests: " + c.getRequiredTestClass().getSimpleName() + " ===" + sb);
        Path out = Packaged.ROOT.resolve("field-tests/target/field-tests.md");
        Files.createDirectories(out.getParent());
        if (!Files.exists(out)) {
            Files.writeString(out, "# Field tests\n");
        }
        Files.writeString(out, sb.toString(), StandardOpenOption.APPEND);
        ROWS.clear();
    }
}
