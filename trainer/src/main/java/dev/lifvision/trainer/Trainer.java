package dev.lifvision.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifvision.bundle.Bundle;
import dev.lifvision.bundle.InputSpec;
import dev.lifvision.cli.ProgressBar;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Trains an {@link Architecture} on a dataset and exports the best epoch (by validation accuracy)
 * as a node bundle. Every epoch ends with a checkpoint in the work folder ({@code last.zip} with
 * the optimizer state, {@code best.zip}, {@code state.json}, {@code metrics.csv}), so a killed run
 * continues with {@code --resume}; the random streams are re-seeded per epoch from the seed, so a
 * resumed run gives the same weights as an uninterrupted one.
 *
 * <p>With {@code training.average_from: N} every epoch from N on also keeps its weights
 * ({@code epoch-NNN.zip}), and the export is their mean when that scores at least as well on the
 * validation split as the best single epoch (stochastic weight averaging, Izmailov et al. 2018): at a
 * low learning rate under the training noise the weights wander around a minimum, and their mean
 * generalises better than any one point of the walk. The mean is taken from the kept files at export,
 * so a resumed run, or {@code --resume --max-epochs-this-run 0}, computes the same one. Batch
 * normalisation's running statistics are averaged with the weights, which only approximates
 * re-estimating them for the mean weights (as the paper does); the validation comparison guards it.
 */
public final class Trainer {
    /** Images of the training split scored each epoch for the train-accuracy curve (no augmentation, no noise). */
    static final int TRAIN_SCORE_SAMPLE = 2000;
    static final int ACCURACY_EVERY = 16;

    public record Options(Path out, Path work, boolean resume, boolean force, Integer epochs, Integer batch,
                          Integer limit, Integer validation, String store, int maxEpochsThisRun) {
    }

    /** @param exported what the bundle holds: "epoch 11", or "the mean of epochs 16-22" */
    public record Result(Bundle bundle, double testAccuracy, double valAccuracy, String exported, double seconds) {
    }

    private final PrintWriter log;

    public Trainer(PrintWriter log) {
        this.log = log;
    }

    public Result train(Architecture arch, String dataSpec, Options opt) throws IOException {
        checkOutputs(opt);
        // everything about the data is checked before any training starts
        ImageSet all = Datasets.load(dataSpec, Split.TRAIN, null);
        if (opt.limit() != null) {
            // a seeded random subset: image folders are sorted by class, so the first N would be one class
            all = all.shuffled(arch.training().seed()).limit(opt.limit());
        }
        ImageSet test = Datasets.load(dataSpec, Split.TEST, null);
        return run(arch, all, test, dataSpec, opt, null, null);
    }

    /**
     * Continues training from a bundle. The same labels keep the output layer; a different label
     * set (the fine-tuning data's classes) gets a fresh output layer. Images of {@code mixSpec}'s
     * training split whose class is in the label set are mixed in, {@code mixFraction} of the
     * fine-tuning set's size, against forgetting. The base model's input mean is kept, so the
     * node's preprocessing does not change.
     */
    public Result finetune(Bundle base, Architecture arch, String dataSpec, String mixSpec, double mixFraction,
                           Options opt) throws IOException {
        checkOutputs(opt);
        return finetune(base, arch, FolderData.load(dataSpec, arch.input(), 0.2, log), dataSpec, mixSpec, mixFraction, opt);
    }

    /**
     * As above, on data already loaded (at the input size; see {@link FolderData}): a capture folder's
     * held-out part is {@code sets.test()}.
     */
    public Result finetune(Bundle base, Architecture arch, FolderData.Sets sets, String dataSpec, String mixSpec,
                           double mixFraction, Options opt) throws IOException {
        checkOutputs(opt);
        // the bundle has any batch normalisation folded into its weights: fine-tune the plain layers
        arch = arch.withoutBatchNorm();
        ImageSet data = sets.train();
        ImageSet test = sets.test();
        List<String> baseLabels = base.manifest().labels();
        boolean sameLabels = new java.util.HashSet<>(baseLabels).containsAll(data.classNames());
        List<String> labels = sameLabels ? baseLabels : data.classNames();
        data = relabel(data, labels);
        test = relabel(test, labels);
        if (mixSpec != null && mixFraction > 0) {
            ImageSet mix = FolderData.fit(Datasets.load(mixSpec, Split.TRAIN, null), arch.input());
            // When the mix is the base's own training data, the first validation_images of its seeded
            // shuffle are the base's held-out slice, which calibration uses as unseen images: keep them
            // out of the fine-tuning as well.
            var bp = base.manifest().provenance();
            int held = bp != null && hash(mix).equals(bp.path("dataset_sha256").asText())
                    ? Math.min(mix.size(), bp.path("validation_images").asInt(0)) : 0;
            ImageSet shuffled = mix.shuffled(held > 0 ? bp.path("seed").asLong(arch.training().seed()) : arch.training().seed());
            if (held > 0) {
                shuffled = shuffled.subset(java.util.stream.IntStream.range(held, shuffled.size()).toArray());
                log.printf(Locale.ROOT, "the base's %d held-out images of %s stay out of the mix%n", held, mix.source());
            }
            mix = relabel(shuffled, labels);
            int n = (int) Math.min(mix.size(), Math.round(mixFraction * data.size()));
            data = concat(data, mix.limit(n));
            log.printf(Locale.ROOT, "mixing in %d images of %s%n", n, mix.source());
        }
        MultiLayerNetwork net = NetworkFactory.build(arch, labels.size());
        BundleImporter.load(base, net, arch, sameLabels);
        log.printf(Locale.ROOT, "fine-tuning %s (%s output layer) on %d images%n", base.manifest().name(),
                sameLabels ? "its" : "a new " + labels.size() + "-class", data.size());
        String meanName = base.manifest().input().meanTensor();
        float[] mean = meanName == null ? null : base.tensor(meanName).floats();
        return run(arch, data, test, dataSpec, opt, net, mean);
    }

    /** The same images with labels re-indexed into {@code labels} by class name; others dropped. */
    static ImageSet relabel(ImageSet set, List<String> labels) {
        int[] map = new int[set.classNames().size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = labels.indexOf(set.classNames().get(i));
        }
        int kept = 0;
        for (int i = 0; i < set.size(); i++) {
            if (map[set.label(i)] >= 0) {
                kept++;
            }
        }
        byte[] px = new byte[kept * set.imageSize()];
        int[] lab = new int[kept];
        int k = 0;
        for (int i = 0; i < set.size(); i++) {
            if (map[set.label(i)] >= 0) {
                System.arraycopy(set.pixels(), i * set.imageSize(), px, k * set.imageSize(), set.imageSize());
                lab[k++] = map[set.label(i)];
            }
        }
        return new ImageSet(set.source(), labels, set.height(), set.width(), set.channels(), px, lab);
    }

    static ImageSet concat(ImageSet a, ImageSet b) {
        if (a.imageSize() != b.imageSize() || !a.classNames().equals(b.classNames())) {
            throw new IllegalArgumentException(b.source() + ": images or classes differ from " + a.source());
        }
        byte[] px = java.util.Arrays.copyOf(a.pixels(), a.pixels().length + b.pixels().length);
        System.arraycopy(b.pixels(), 0, px, a.pixels().length, b.pixels().length);
        int[] lab = java.util.Arrays.copyOf(a.labels(), a.size() + b.size());
        System.arraycopy(b.labels(), 0, lab, a.size(), b.size());
        return new ImageSet(a.source() + " + " + b.source(), a.classNames(), a.height(), a.width(), a.channels(), px, lab);
    }

    private static void checkOutputs(Options opt) throws IOException {
        if (Files.exists(opt.out()) && !opt.force()) {
            throw new IOException(opt.out() + ": exists; pass --force to replace it");
        }
        Path state = opt.work().resolve("state.json");
        if (!opt.resume() && Files.exists(state)) {
            throw new IOException(opt.work() + ": holds a checkpoint of an earlier run; pass --resume to continue it, "
                    + "or remove the folder to start over");
        }
        if (opt.resume() && !Files.exists(state)) {
            throw new IOException(opt.work() + ": no checkpoint to resume (state.json missing)");
        }
    }

    /**
     * @param initial  the starting network for fine-tuning (null: a fresh one)
     * @param baseMean the input mean to keep (fine-tuning keeps the base model's preprocessing), or null
     */
    Result run(Architecture arch, ImageSet all, ImageSet test, String dataSpec, Options opt, MultiLayerNetwork initial,
               float[] baseMean) throws IOException {
        Path work = opt.work();
        Path state = work.resolve("state.json");
        var t = arch.training();
        int epochs = opt.epochs() != null ? opt.epochs() : t.epochs();
        int batch = opt.batch() != null ? opt.batch() : t.batch();
        // the architecture's validation size, but never more than a tenth of a small dataset
        int validation = opt.validation() != null ? opt.validation() : Math.min(t.validation(), all.size() / 10);
        var in = arch.input();
        if (all.height() != in.height() || all.width() != in.width() || all.channels() != in.channels()) {
            throw new IOException(all.source() + ": images are " + all.height() + "x" + all.width() + "x" + all.channels()
                    + ", architecture " + arch.name() + " expects input " + in.height() + "x" + in.width() + "x" + in.channels());
        }
        if (test.height() != all.height() || test.width() != all.width() || test.channels() != all.channels()
                || !test.classNames().equals(all.classNames())) {
            throw new IOException(test.source() + ": the test split's image size or classes differ from the training split's");
        }
        if (validation >= all.size()) {
            throw new IOException("validation split of " + validation + " images leaves nothing to train on ("
                    + all.size() + " images)");
        }
        int averageFrom = t.averageFrom();
        if (averageFrom > epochs) {
            throw new IOException(arch.name() + ": training.average_from " + averageFrom + " is after the last epoch ("
                    + epochs + ")");
        }
        String dataHash = hash(all);
        ImageSet shuffled = all.shuffled(t.seed());
        int[] valIdx = new int[validation];
        int[] trainIdx = new int[all.size() - validation];
        for (int i = 0; i < validation; i++) {
            valIdx[i] = i;
        }
        for (int i = validation; i < all.size(); i++) {
            trainIdx[i - validation] = i;
        }
        ImageSet trainSet = shuffled.subset(trainIdx);
        ImageSet valSet = validation > 0 ? shuffled.subset(valIdx) : null;
        float[] mean = baseMean != null ? baseMean : in.perPixelMean() ? TrainingData.pixelMean(trainSet) : null;
        InputSpec source = new InputSpec(in.height(), in.width(), in.channels(), in.channels() == 1 ? "gray" : "rgb",
                "stretch", in.scale(), in.offset(), mean == null ? null : "input.mean", null);
        TrainingData train = TrainingData.of(trainSet, source, mean, in.netHeight(), in.netWidth());
        TrainingData val = valSet == null ? null : TrainingData.of(valSet, source, mean, in.netHeight(), in.netWidth());
        TrainingData testData = TrainingData.of(test, source, mean, in.netHeight(), in.netWidth());
        int classes = all.classNames().size();
        log.printf(Locale.ROOT, "%s: %d training, %d validation, %d test images, %d classes; batch %d, up to %d epochs%n",
                arch.name(), train.size(), validation, test.size(), classes, batch, epochs);

        Files.createDirectories(work);
        if (!opt.resume()) {
            // a fresh run must not mix with an older best.zip
            Files.deleteIfExists(work.resolve("best.zip"));
            Files.deleteIfExists(work.resolve("last.zip"));
            try (var old = Files.newDirectoryStream(work, "epoch-*.zip")) {
                for (Path f : old) {
                    Files.delete(f);
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        MultiLayerNetwork net;
        int startEpoch = 0;
        double bestVal = -1;
        int bestEpoch = 0;
        int sinceBest = 0;
        double elapsed = 0;
        if (opt.resume()) {
            var s = json.readTree(state.toFile());
            if (!arch.name().equals(s.path("architecture").asText())) {
                throw new IOException(state + ": checkpoint is of architecture '" + s.path("architecture").asText()
                        + "', not '" + arch.name() + "'");
            }
            net = ModelSerializer.restoreMultiLayerNetwork(work.resolve("last.zip").toFile(), true);
            // The schedule comes from the architecture given now, not the checkpoint: a resumed run may be given a
            // different length (--epochs) and decay points to fit what is left of a time budget. Adam's moments
            // are kept; only the learning rate per epoch changes.
            net.setLearningRate(NetworkFactory.learningRate(t));
            startEpoch = s.path("epoch").asInt();
            bestVal = s.path("best_val_accuracy").asDouble();
            bestEpoch = s.path("best_epoch").asInt();
            sinceBest = s.path("since_best").asInt();
            elapsed = s.path("seconds").asDouble();
            log.printf(Locale.ROOT, "resuming after epoch %d (best validation accuracy %.2f %% at epoch %d)%n",
                    startEpoch, 100 * bestVal, bestEpoch);
        } else {
            net = initial != null ? initial : NetworkFactory.build(arch, classes);
            Files.writeString(work.resolve("metrics.csv"),
                    "epoch,learning_rate,train_loss,train_accuracy,val_loss,val_accuracy,seconds,images_per_second\n");
        }
        long flops = 3 * NetworkFactory.forwardFlops(arch, classes);
        int[] scoreIdx = new int[Math.min(TRAIN_SCORE_SAMPLE, train.size())];
        for (int i = 0; i < scoreIdx.length; i++) {
            scoreIdx[i] = i;
        }
        int epochsThisRun = 0;
        int lastEpoch = startEpoch;
        for (int epoch = startEpoch + 1; epoch <= epochs; epoch++) {
            if (sinceBest >= t.patience()) {
                log.printf(Locale.ROOT, "early stop: no validation improvement for %d epochs%n", sinceBest);
                break;
            }
            if (epochsThisRun >= opt.maxEpochsThisRun()) {
                log.printf(Locale.ROOT, "stopping after %d epoch(s) this run as asked; continue with --resume%n", epochsThisRun);
                break;
            }
            long t0 = System.nanoTime();
            // per-epoch seeds: the same epoch sees the same order, crops, dropout and noise, resumed or not
            SplittableRandom rnd = new SplittableRandom(t.seed() * 1_000_003L + epoch);
            Nd4j.getRandom().setSeed(t.seed() * 7_919L + epoch);
            int[] order = permutation(train.size(), rnd);
            int batches = (train.size() + batch - 1) / batch;
            ProgressBar bar = new ProgressBar(log, String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), batches, "batch");
            double lossSum = 0;
            long seen = 0;
            long seenCorrect = 0;
            for (int bi = 0; bi < batches; bi++) {
                int from = bi * batch;
                int to = Math.min(train.size(), from + batch);
                DataSet ds = train.batch(order, from, to, in.augmented() ? rnd : null, in.flip(), in.shift());
                if (bi % ACCURACY_EVERY == 0) {
                    // a running training accuracy for the progress bar: the batch as the net sees it
                    // before this step, test mode; every 16th batch costs about 2 % extra
                    INDArray predicted = net.output(ds.getFeatures(), false).argMax(1);
                    INDArray truth = ds.getLabels().argMax(1);
                    seenCorrect += predicted.eq(truth).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().intValue();
                    seen += to - from;
                }
                net.fit(ds);
                lossSum += net.score();
                double secs = (System.nanoTime() - t0) / 1e9;
                bar.update(bi + 1, String.format(Locale.ROOT, "loss %.4f, acc %.1f %%, %.0f img/s, %.1f GFLOP/s",
                        lossSum / (bi + 1), 100.0 * seenCorrect / Math.max(1, seen), to / secs,
                        flops * (double) to / secs / 1e9));
            }
            net.incrementEpochCount();
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            double[] trainScore = evaluate(net, train, scoreIdx);
            double[] valScore = val == null ? trainScore : evaluate(net, val, null);
            elapsed += (System.nanoTime() - t0) / 1e9;
            double lr = NetworkFactory.learningRate(t).valueAt(0, epoch - 1);
            Files.writeString(work.resolve("metrics.csv"), String.format(Locale.ROOT, "%d,%g,%.6f,%.6f,%.6f,%.6f,%.1f,%.1f%n",
                    epoch, lr, lossSum / batches, trainScore[1], valScore[0], valScore[1], trainSeconds,
                    train.size() / trainSeconds), java.nio.file.StandardOpenOption.APPEND);
            log.printf(Locale.ROOT, "epoch %d: train loss %.4f, train error %.2f %%, validation error %.2f %%, %.1f min, %.1f GFLOP/s%n",
                    epoch, lossSum / batches, 100 * (1 - trainScore[1]), 100 * (1 - valScore[1]), trainSeconds / 60,
                    flops * (double) train.size() / trainSeconds / 1e9);
            if (valScore[1] > bestVal) {
                bestVal = valScore[1];
                bestEpoch = epoch;
                sinceBest = 0;
                save(net, work.resolve("best.zip"), false);
            } else {
                sinceBest++;
            }
            save(net, work.resolve("last.zip"), true);
            if (averageFrom > 0 && epoch >= averageFrom) {
                save(net, epochFile(work, epoch), false);
            }
            ObjectNode s = json.createObjectNode();
            s.put("architecture", arch.name()).put("data", dataSpec).put("epoch", epoch).put("best_val_accuracy", bestVal)
                    .put("best_epoch", bestEpoch).put("since_best", sinceBest).put("seconds", elapsed);
            writeAtomic(state, json.writerWithDefaultPrettyPrinter().writeValueAsString(s));
            epochsThisRun++;
            lastEpoch = epoch;
        }
        MultiLayerNetwork best = ModelSerializer.restoreMultiLayerNetwork(work.resolve("best.zip").toFile(), false);
        double exportVal = bestVal;
        String averaged = null;
        if (averageFrom > 0) {
            List<Path> kept = new ArrayList<>();
            for (int e = averageFrom; e <= lastEpoch; e++) {
                kept.add(epochFile(work, e));
            }
            Path missing = kept.stream().filter(f -> !Files.exists(f)).findFirst().orElse(null);
            if (kept.size() < 2 || missing != null) {
                log.printf(Locale.ROOT, "no weight average: %s%n", missing != null ? missing + " is missing"
                        : "the run ended before two epochs from epoch " + averageFrom);
            } else {
                MultiLayerNetwork averagedNet = average(kept);
                double meanVal = (val == null ? evaluate(averagedNet, train, scoreIdx) : evaluate(averagedNet, val, null))[1];
                boolean take = meanVal >= bestVal;
                log.printf(Locale.ROOT, "weight average of epochs %d-%d: validation error %.2f %% (best single epoch %d: "
                                + "%.2f %%); exporting %s%n", averageFrom, lastEpoch, 100 * (1 - meanVal), bestEpoch,
                        100 * (1 - bestVal), take ? "the average" : "epoch " + bestEpoch);
                if (take) {
                    best = averagedNet;
                    exportVal = meanVal;
                    averaged = averageFrom + "-" + lastEpoch;
                }
            }
        }
        double testAcc = evaluate(best, testData, null)[1];
        log.printf(Locale.ROOT, "%s: validation error %.2f %%, test error %.2f %% (rate ANN)%n",
                averaged != null ? "weight average of epochs " + averaged : "best epoch " + bestEpoch,
                100 * (1 - exportVal), 100 * (1 - testAcc));
        ObjectNode prov = json.createObjectNode();
        prov.put("tool", "lifvision-train").put("architecture", arch.name()).put("dataset", dataSpec)
                .put("dataset_sha256", dataHash).put("training_images", train.size()).put("validation_images", validation)
                .put("epochs", averaged != null ? lastEpoch : bestEpoch).put("epochs_run", lastEpoch).put("seed", t.seed())
                .put("ann_test_accuracy", testAcc).put("ann_validation_accuracy", exportVal)
                .put("training_seconds", Math.round(elapsed)).put("git_revision", gitRevision())
                .put("created", Instant.now().toString()).put("noise_sigma", arch.neuron().noiseSigma())
                .put("noise", arch.neuron().noise())
                .put("optimizer", t.optimizer()).put("batch", batch).put("neuron", arch.neuron().type());
        if (averaged != null) {
            prov.put("averaged_epochs", averaged);
        }
        Bundle bundle = BundleExporter.export(best, arch, all.classNames(), mean, opt.store(), prov);
        bundle.write(opt.out(), opt.force());
        Path csv = sibling(opt.out(), ".metrics.csv");
        Files.copy(work.resolve("metrics.csv"), csv, StandardCopyOption.REPLACE_EXISTING);
        LearningCurves.write(csv, sibling(opt.out(), ".curves.png"), arch.name());
        log.printf(Locale.ROOT, "wrote %s, %s and %s%n", opt.out(), csv, sibling(opt.out(), ".curves.png"));
        return new Result(bundle, testAcc, exportVal, averaged != null ? "the mean of epochs " + averaged
                : "epoch " + bestEpoch, elapsed);
    }

    static Path epochFile(Path work, int epoch) {
        return work.resolve(String.format(Locale.ROOT, "epoch-%03d.zip", epoch));
    }

    /** The network of the first checkpoint with every parameter the mean of the checkpoints'. */
    static MultiLayerNetwork average(List<Path> checkpoints) throws IOException {
        MultiLayerNetwork mean = ModelSerializer.restoreMultiLayerNetwork(checkpoints.get(0).toFile(), false);
        INDArray sum = mean.params().dup();
        for (Path f : checkpoints.subList(1, checkpoints.size())) {
            sum.addi(ModelSerializer.restoreMultiLayerNetwork(f.toFile(), false).params());
        }
        mean.setParams(sum.divi(checkpoints.size()));
        return mean;
    }

    static Path sibling(Path out, String suffix) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".lifb") ? name.substring(0, name.length() - 5) : name;
        return out.resolveSibling(stem + suffix);
    }

    /** [mean cross-entropy, accuracy] of the network (test mode: no dropout, no noise). */
    public static double[] evaluate(MultiLayerNetwork net, TrainingData data, int[] indices) {
        int n = indices == null ? data.size() : indices.length;
        int[] order = indices;
        if (order == null) {
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        double loss = 0;
        int correct = 0;
        for (int from = 0; from < n; from += 500) {
            int to = Math.min(n, from + 500);
            DataSet ds = data.batch(order, from, to, null, false, 0);
            INDArray p = net.output(ds.getFeatures(), false);
            INDArray argmax = p.argMax(1);
            for (int b = 0; b < to - from; b++) {
                int label = data.label(order[from + b]);
                if (argmax.getInt(b) == label) {
                    correct++;
                }
                loss -= Math.log(Math.max(1e-12, p.getDouble(b, label)));
            }
        }
        return new double[]{loss / n, (double) correct / n};
    }

    static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    static void save(MultiLayerNetwork net, Path file, boolean updater) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ModelSerializer.writeModel(net, tmp.toFile(), updater);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void writeAtomic(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String hash(ImageSet set) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(set.pixels());
            for (int l : set.labels()) {
                md.update((byte) l);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String gitRevision() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    /** Reads the per-epoch CSV back, for plots. */
    static List<double[]> readCsv(Path csv) throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.isBlank() || line.startsWith("epoch")) {
                continue;
            }
            String[] f = line.split(",");
            double[] r = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                r[i] = Double.parseDouble(f[i]);
            }
            rows.add(r);
        }
        return rows;
    }
}
