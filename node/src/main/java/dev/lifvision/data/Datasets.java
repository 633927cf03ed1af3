package dev.lifvision.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** Loads a dataset split from a spec string, as given on the command line. */
public final class Datasets {
    static final String CIFAR_ARCHIVE = "cifar10-jpg.tar.gz";

    private Datasets() {}

    /**
     * @param spec {@code mnist:DIR} (IDX files, .gz or raw), {@code cifar10:DIR} (binary batches in DIR or
     *             DIR/cifar-10-batches-bin, else DIR/cifar10-jpg.tar.gz or DIR being that archive) or
     *             {@code folder:DIR_OR_TAR_GZ} (see {@link ImageFolder}; uses train/ or test/ when it has both)
     * @param progress called with the number of images read so far; may be null
     */
    public static ImageSet load(String spec, Split split, IntConsumer progress) throws IOException {
        int colon = spec == null ? -1 : spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new DatasetException("bad dataset spec '" + spec + "': expected mnist:DIR, cifar10:DIR or folder:DIR_OR_TAR_GZ");
        }
        String kind = spec.substring(0, colon);
        Path path = Path.of(spec.substring(colon + 1));
        String label = spec + " (" + split.folderName() + ")";
        ImageSet set = switch (kind) {
            case "mnist" -> done(mnist(path, split), progress);
            case "cifar10" -> cifar10(path, split, progress);
            case "folder" -> ImageFolder.readSplitOrFlat(path, split, progress);
            default -> throw new DatasetException("unknown dataset kind '" + kind + "' in '" + spec
                    + "': expected mnist:DIR, cifar10:DIR or folder:DIR_OR_TAR_GZ");
        };
        return set.withSource(label);
    }

    /** Readers that load everything at once report progress only at the end. */
    private static ImageSet done(ImageSet set, IntConsumer progress) {
        if (progress != null) progress.accept(set.size());
        return set;
    }

    private static ImageSet mnist(Path dir, Split split) throws IOException {
        if (!Files.isDirectory(dir)) throw new DatasetException("mnist: " + dir + " is not a directory");
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        return MnistIdx.read(find(dir, prefix + "-images-idx3-ubyte", prefix + "-images.idx3-ubyte"),
                find(dir, prefix + "-labels-idx1-ubyte", prefix + "-labels.idx1-ubyte"));
    }

    /** The first of the names (each tried raw, then .gz) that exists in dir. */
    private static Path find(Path dir, String... names) throws DatasetException {
        List<String> tried = new ArrayList<>();
        for (String name : names) {
            for (String candidate : List.of(name, name + ".gz")) {
                Path p = dir.resolve(candidate);
                if (Files.isRegularFile(p)) return p;
                tried.add(candidate);
            }
        }
        throw new DatasetException(dir + ": none of " + tried + " found");
    }

    private static ImageSet cifar10(Path path, Split split, IntConsumer progress) throws IOException {
        List<String> batches = split == Split.TRAIN
                ? List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin")
                : List.of("test_batch.bin");
        List<String> lookedFor = new ArrayList<>();
        if (Files.isDirectory(path)) {
            for (Path dir : List.of(path, path.resolve("cifar-10-batches-bin"))) {
                lookedFor.add(dir.resolve(batches.get(0)).toString());
                if (Files.isRegularFile(dir.resolve(batches.get(0)))) {
                    List<Path> files = new ArrayList<>();
                    for (String b : batches) {
                        Path f = dir.resolve(b);
                        if (!Files.isRegularFile(f)) throw new DatasetException(dir + ": CIFAR-10 batch " + b + " is missing");
                        files.add(f);
                    }
                    return done(Cifar10Binary.read(files, Cifar10Binary.classNames(dir)), progress);
                }
            }
            Path archive = path.resolve(CIFAR_ARCHIVE);
            lookedFor.add(archive.toString());
            if (Files.isRegularFile(archive)) return ImageFolder.read(archive, split.folderName(), progress);
        } else if (Files.isRegularFile(path)) {
            return ImageFolder.read(path, split.folderName(), progress);
        } else {
            throw new DatasetException("cifar10: " + path + " does not exist");
        }
        throw new DatasetException("cifar10: no CIFAR-10 data in " + path + "; looked for " + String.join(", ", lookedFor));
    }
}
