package dev.lifvision.trainer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class TrainMainTest {
    @TempDir
    Path dir;

    private String[] run(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cl = TrainMain.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        int code = cl.execute(args);
        return new String[]{String.valueOf(code), err.toString(), out.toString()};
    }

    @Test
    void badInputExitsWithTwoAndNamesTheProblem() throws Exception {
        String[] r = run("train", "--arch", "mnist-small", "--data", "mnist:" + dir.resolve("missing"), "--out",
                dir.resolve("m.lifb").toString());
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("missing"), r[1]);

        r = run("train", "--arch", "resnet-50", "--data", "mnist:" + dir, "--out", dir.resolve("m.lifb").toString());
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("resnet-50"), r[1]);

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: x\nlayers:\n  - {type: maxout}\n");
        r = run("train", "--arch", bad.toString(), "--data", "mnist:" + dir, "--out", dir.resolve("m.lifb").toString());
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("bad.yaml") && r[1].contains("maxout"), r[1]);

        r = run("train", "--arch", "mnist-small", "--data", "mnist:" + dir, "--out", dir.resolve("m.lifb").toString(),
                "--store", "int4");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("int4"), r[1]);

        r = run("finetune", "--base", dir.resolve("none.lifb").toString(), "--data", "folder:" + dir, "--out",
                dir.resolve("f.lifb").toString(), "--store", "bf16");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("bf16"), r[1]);

        r = run("finetune", "--base", dir.resolve("none.lifb").toString(), "--data", "folder:" + dir, "--out",
                dir.resolve("f.lifb").toString());
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("none.lifb"), r[1]);
    }

    @Test
    void helpListsTheSubcommands() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        assertTrue(r[2].contains("train") && r[2].contains("finetune") && r[2].contains("bench"), r[2]);
    }
}
