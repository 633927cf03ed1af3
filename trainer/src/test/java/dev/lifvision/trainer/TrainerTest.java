package dev.lifvision.trainer;

import dev.lifvision.bundle.Bundle;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import dev.lifvision.encode.Preprocessor;
import dev.lifvision.eval.EvalResult;
import dev.lifvision.eval.Evaluator;
import dev.lifvision.network.FrameResult;
import dev.lifvision.network.Network;
import dev.lifvision.network.RateSimulator;
import dev.lifvision.network.SimOptions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Real training on a small generated image-folder dataset (always runs; MNIST-based tests are in TrainerMnistTest). */
class TrainerTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path arch;

    /** Three classes of 12x12 grey images: a bright bar on the left, the middle or the right, plus noise. */
    @BeforeAll
    static void makeDataset() throws Exception {
        Dl4jSetup.enableOneDnnHelpers();
        data = dir.resolve("bars");
        Random r = new Random(9);
        String[] classes = {"left", "middle", "right"};
        for (String split : new String[]{"train", "test"}) {
            for (int c = 0; c < 3; c++) {
                Path d = Files.createDirectories(data.resolve(split).resolve(classes[c]));
                for (int i = 0; i < (split.equals("train") ? 120 : 40); i++) {
                    BufferedImage img = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_GRAY);
                    int x0 = c * 4 + r.nextInt(2) - 0;
                    for (int y = 0; y < 12; y++) {
                        for (int x = 0; x < 12; x++) {
                            boolean lit = x >= x0 && x < x0 + 3;
                            int v = Math.min(255, Math.max(0, (lit ? 190 : 40) + (int) (r.nextGaussian() * 40)));
                            img.getRaster().setSample(x, y, 0, v);
                        }
                    }
                    ImageIO.write(img, "png", d.resolve(String.format("%03d.png", i)).toFile());
                }
            }
        }
        arch = dir.resolve("bars.yaml");
        Files.writeString(arch, """
                name: bars
                input: {height: 12, width: 12, channels: 1, crop: [10, 10], flip: false}
                neuron: {type: softlif, tau_rc: 0.022, tau_ref: 0.002, gain: 1, amplitude: 0.063, gamma: 0.02, noise_sigma: 10}
                layers:
                  - {type: conv2d, filters: 4, kernel: 3, padding: 1}
                  - {type: avgpool, size: 2, stride: 2}
                  - {type: dense, units: 16}
                  - {type: dropout, rate: 0.2}
                  - {type: output}
                training: {optimizer: adam, learning_rate: 0.003, batch: 16, epochs: 3, patience: 5, validation: 30, seed: 3}
                """);
    }

    static Trainer.Options options(Path out, boolean resume, Integer epochs, int maxThisRun) {
        return new Trainer.Options(out, Trainer.sibling(out, ".work"), resume, false, epochs, null, null, null,
                "float32", maxThisRun);
    }

    @Test
    void trainsExportsAndTheNodeReproducesTheAccuracyExactly() throws Exception {
        Path out = dir.resolve("exact.lifb");
        StringWriter log = new StringWriter();
        var r = new Trainer(new PrintWriter(log, true)).train(Architecture.load(arch), "folder:" + data,
                options(out, false, null, Integer.MAX_VALUE));
        assertTrue(r.testAccuracy() > 0.9, "test accuracy " + r.testAccuracy() + "\n" + log);
        assertTrue(log.toString().contains("epoch 1/3 ["), "progress bar: " + log);
        assertTrue(Files.isRegularFile(Trainer.sibling(out, ".metrics.csv")));
        assertTrue(Files.size(Trainer.sibling(out, ".curves.png")) > 1000);
        assertEquals(4, Files.readAllLines(Trainer.sibling(out, ".metrics.csv")).size(), "header + 3 epochs");

        Bundle b = Bundle.read(out);
        assertEquals("bars", b.manifest().provenance().path("architecture").asText());
        assertEquals(64, b.manifest().provenance().path("dataset_sha256").asText().length());
        Network net = Network.of(b);
        ImageSet test = Datasets.load("folder:" + data, Split.TEST, null);
        EvalResult rate = new Evaluator(net, "rate", SimOptions.of(b.manifest().simulation()), () -> Preprocessor.of(b))
                .run(test, Evaluator.labelMap(test.classNames(), net.labels()), 2, null);
        assertEquals(r.testAccuracy(), 1 - rate.errorRate(), 1e-12, "node rate backend vs trainer on the same images");
    }

    @Test
    void resumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws Exception {
        Architecture a = Architecture.load(arch);
        PrintWriter quiet = new PrintWriter(new StringWriter());
        Path straight = dir.resolve("straight.lifb");
        new Trainer(quiet).train(a, "folder:" + data, options(straight, false, 2, Integer.MAX_VALUE));
        Path split = dir.resolve("split.lifb");
        new Trainer(quiet).train(a, "folder:" + data, options(split, false, 2, 1));
        Files.delete(split); // the interim export; resume writes it again
        new Trainer(quiet).train(a, "folder:" + data, options(split, true, 2, Integer.MAX_VALUE));
        MultiLayerNetwork x = ModelSerializer.restoreMultiLayerNetwork(Trainer.sibling(straight, ".work").resolve("last.zip").toFile());
        MultiLayerNetwork y = ModelSerializer.restoreMultiLayerNetwork(Trainer.sibling(split, ".work").resolve("last.zip").toFile());
        assertEquals(x.params(), y.params(), "parameters after 2 epochs, straight vs 1 + resumed 1");
    }

    @Test
    void badInputStopsBeforeTrainingWithAClearMessage() throws Exception {
        Architecture a = Architecture.load(arch);
        PrintWriter quiet = new PrintWriter(new StringWriter());
        IOException missing = assertThrows(IOException.class, () -> new Trainer(quiet).train(a,
                "folder:" + dir.resolve("nowhere"), options(dir.resolve("m.lifb"), false, 1, 1)));
        assertTrue(missing.getMessage().contains("nowhere"), missing.getMessage());
        IOException size = assertThrows(IOException.class, () -> new Trainer(quiet).train(Architecture.resolve("mnist-small"),
                "folder:" + data, options(dir.resolve("s.lifb"), false, 1, 1)));
        assertTrue(size.getMessage().contains("12x12x1") && size.getMessage().contains("28x28x1"), size.getMessage());
        assertFalse(Files.exists(dir.resolve("s.work").resolve("last.zip")), "nothing trained");
        Path existing = Files.writeString(dir.resolve("keep.lifb"), "precious");
        IOException exists = assertThrows(IOException.class, () -> new Trainer(quiet).train(a, "folder:" + data,
                options(existing, false, 1, 1)));
        assertTrue(exists.getMessage().contains("--force"), exists.getMessage());
        assertEquals("precious", Files.readString(existing));
    }

    @Test
    void finetuneKeepsTheOutputForKnownLabelsAndReplacesItForNewOnes() throws Exception {
        Architecture a = Architecture.load(arch);
        PrintWriter quiet = new PrintWriter(new StringWriter());
        Path base = dir.resolve("base.lifb");
        new Trainer(quiet).train(a, "folder:" + data, options(base, false, 2, Integer.MAX_VALUE));
        Bundle b = Bundle.read(base);

        // the same classes under new names: a new 3-class output layer
        Path renamed = dir.resolve("renamed");
        for (String split : new String[]{"train", "test"}) {
            for (String[] m : new String[][]{{"left", "west"}, {"middle", "centre"}, {"right", "east"}}) {
                Path to = Files.createDirectories(renamed.resolve(split).resolve(m[1]));
                try (var files = Files.list(data.resolve(split).resolve(m[0]))) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.copy(f, to.resolve(f.getFileName()));
                    }
                }
            }
        }
        Path tuned = dir.resolve("tuned.lifb");
        StringWriter tuneLog = new StringWriter();
        var r = new Trainer(new PrintWriter(tuneLog, true)).finetune(b, a, "folder:" + renamed, "folder:" + data, 0.5,
                new Trainer.Options(tuned, Trainer.sibling(tuned, ".work"), false, false, 3, null, null, null, "float16",
                        Integer.MAX_VALUE));
        // the base's validation slice (30 of its 360 training images) is what calibration holds out: never mixed in
        assertTrue(tuneLog.toString().contains("the base's 30 held-out images of"), tuneLog.toString());
        Bundle t = Bundle.read(tuned);
        assertEquals(java.util.List.of("centre", "east", "west"), t.manifest().labels());
        assertEquals("float16", t.tensors().values().iterator().next().dtype());
        assertTrue(r.testAccuracy() > 0.8, "fine-tuned accuracy " + r.testAccuracy());

        // same labels: the output layer is kept, so before any training the imported net already classifies
        Path same = dir.resolve("same.lifb");
        var kept = new Trainer(quiet).finetune(b, a, "folder:" + data, null, 0,
                new Trainer.Options(same, Trainer.sibling(same, ".work"), false, false, 1, null, null, null, "float32",
                        Integer.MAX_VALUE));
        assertEquals(b.manifest().labels(), Bundle.read(same).manifest().labels());
        assertTrue(kept.testAccuracy() > 0.9, "accuracy " + kept.testAccuracy());
    }

    @Test
    void exportsTheMeanOfTheLastEpochsWhenItValidatesAtLeastAsWellAsTheBestEpoch() throws Exception {
        Path avgArch = Files.writeString(dir.resolve("bars-avg.yaml"),
                Files.readString(arch).replace("seed: 3}", "seed: 3, average_from: 2}"));
        Architecture a = Architecture.load(avgArch);
        assertEquals(2, a.training().averageFrom());
        Path out = dir.resolve("avg.lifb");
        StringWriter log = new StringWriter();
        var r = new Trainer(new PrintWriter(log, true)).train(a, "folder:" + data, options(out, false, null, Integer.MAX_VALUE));
        Path work = Trainer.sibling(out, ".work");
        assertFalse(Files.exists(work.resolve("epoch-001.zip")), "epochs before average_from are not kept");
        Path e2 = work.resolve("epoch-002.zip");
        Path e3 = work.resolve("epoch-003.zip");
        INDArray p2 = ModelSerializer.restoreMultiLayerNetwork(e2.toFile(), false).params();
        INDArray p3 = ModelSerializer.restoreMultiLayerNetwork(e3.toFile(), false).params();
        assertNotEquals(p2, p3, "the two epochs' weights differ");
        MultiLayerNetwork mean = Trainer.average(java.util.List.of(e2, e3));
        assertTrue(p2.add(p3).divi(2).equalsWithEps(mean.params(), 1e-7), "the average is the mean of the two");
        assertTrue(log.toString().contains("weight average of epochs 2-3: validation error"), log.toString());

        // the bundle holds the average or the best epoch, whichever validated better (ties: the average)
        Bundle b = Bundle.read(out);
        boolean averaged = b.manifest().provenance().path("averaged_epochs").asText().equals("2-3");
        assertEquals(averaged ? "the mean of epochs 2-3" : "epoch " + b.manifest().provenance().path("epochs").asInt(),
                r.exported());
        MultiLayerNetwork expected = averaged ? mean
                : ModelSerializer.restoreMultiLayerNetwork(work.resolve("best.zip").toFile(), false);
        assertTrue(expected.params().equalsWithEps(imported(b, a).params(), 1e-6), "bundle weights = " + r.exported());

        // re-exporting from the checkpoints computes the same average
        Path again = dir.resolve("avg-again.lifb");
        new Trainer(new PrintWriter(new StringWriter())).train(a, "folder:" + data,
                new Trainer.Options(again, work, true, false, null, null, null, null, "float32", 0));
        assertTrue(imported(b, a).params().equalsWithEps(imported(Bundle.read(again), a).params(), 0));

        IOException late = assertThrows(IOException.class, () -> new Trainer(new PrintWriter(new StringWriter()))
                .train(a, "folder:" + data, options(dir.resolve("late.lifb"), false, 1, 1)));
        assertTrue(late.getMessage().contains("training.average_from 2 is after the last epoch (1)"), late.getMessage());
        Path bad = Files.writeString(dir.resolve("bars-bad.yaml"),
                Files.readString(arch).replace("seed: 3}", "seed: 3, average_from: 4}"));
        IOException parse = assertThrows(IOException.class, () -> Architecture.load(bad));
        assertTrue(parse.getMessage().contains("training.average_from") && parse.getMessage().contains("4"), parse.getMessage());
    }

    @Test
    void batchNormalisationIsFoldedIntoTheExportedWeights() throws Exception {
        Path bnArch = Files.writeString(dir.resolve("bars-bn.yaml"), Files.readString(arch)
                .replace("padding: 1}", "padding: 1, batch_norm: true}").replace("units: 16}", "units: 16, batch_norm: true}"));
        Architecture a = Architecture.load(bnArch);
        PrintWriter quiet = new PrintWriter(new StringWriter());
        Path out = dir.resolve("bn.lifb");
        var r = new Trainer(quiet).train(a, "folder:" + data, options(out, false, 2, Integer.MAX_VALUE));
        assertTrue(r.testAccuracy() > 0.9, "test accuracy " + r.testAccuracy());
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(
                Trainer.sibling(out, ".work").resolve("best.zip").toFile(), false);
        // conv, norm, soft-LIF; pool; dense, norm, soft-LIF; dropout; output
        assertEquals(9, net.getLayers().length);
        assertTrue(net.getLayer(1).getParam("mean").amaxNumber().doubleValue() > 1e-3, "running statistics were learned");
        assertTrue(net.getLayer(1).getParam("gamma").sub(1).amaxNumber().doubleValue() > 1e-4, "gamma was learned");

        // the node's rate network on the bundle computes what DL4J computes with the normalisation
        Bundle b = Bundle.read(out);
        assertEquals(java.util.List.of("conv2d", "avgpool", "dense", "dense"),
                b.manifest().layers().stream().map(dev.lifvision.bundle.LayerSpec::type).toList());
        RateSimulator sim = new RateSimulator(Network.of(b));
        FrameResult fr = sim.newResult();
        Random rnd = new Random(5);
        for (int k = 0; k < 20; k++) {
            float[] x = new float[100];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * 2);
            }
            sim.present(x, fr);
            INDArray dl4j = net.output(org.nd4j.linalg.factory.Nd4j.create(x, new long[]{1, 1, 10, 10}, 'c'), false);
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float v : fr.output) {
                max = Math.max(max, v);
            }
            for (float v : fr.output) {
                sum += Math.exp(v - max);
            }
            for (int c = 0; c < fr.output.length; c++) {
                assertEquals(dl4j.getDouble(0, c), Math.exp(fr.output[c] - max) / sum, 1e-4, "image " + k + " class " + c);
            }
        }

        // fine-tuning loads the folded bundle into plain layers and starts where it left off
        Path tuned = dir.resolve("bn-tuned.lifb");
        var t = new Trainer(quiet).finetune(b, a, "folder:" + data, null, 0,
                new Trainer.Options(tuned, Trainer.sibling(tuned, ".work"), false, false, 1, null, null, null, "float32",
                        Integer.MAX_VALUE));
        assertTrue(t.testAccuracy() > 0.9, "fine-tuned accuracy " + t.testAccuracy());
        assertEquals(b.manifest().layers().size(), Bundle.read(tuned).manifest().layers().size());
    }

    private static MultiLayerNetwork imported(Bundle b, Architecture a) {
        MultiLayerNetwork net = NetworkFactory.build(a, b.manifest().labels().size());
        BundleImporter.load(b, net, a, true);
        return net;
    }
}
