package dev.lifvision.cli;

import dev.lifvision.data.DatasetVideo;
import dev.lifvision.data.Datasets;
import dev.lifvision.data.ImageSet;
import dev.lifvision.data.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "make-video", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write an MPEG-4 video of dataset images as a camera would show them (each image held",
                "for several frames, upscaled, shifted, with brightness changes, noise and compression),",
                "and its ground truth per frame as CSV beside it. For demos, benchmarks and field tests.", "",
                "Example:", "  lifvision make-video --data mnist:../shared/datasets/mnist --images 100 --out digits.mp4"})
final class MakeVideoCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "KIND:PATH", description = "mnist:DIR | cifar10:DIR | folder:DIR")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "train | test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--images", defaultValue = "100", paramLabel = "N", description = "Images, from the first (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--frames-per-image", defaultValue = "10", paramLabel = "N", description = "Frames each image is held (default: ${DEFAULT-VALUE}).")
    int framesPerImage;

    @Option(names = "--size", defaultValue = "160x120", paramLabel = "WxH", description = "Frame size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--fps", defaultValue = "30", description = "Frame rate (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the offsets, brightness and noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The video (.mp4 or .avi); FILE.truth.csv is written beside it.")
    Path out;

    @Option(names = "--force", description = "Replace existing files.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        if (wh.length != 2) {
            throw new IllegalArgumentException("--size must be WIDTHxHEIGHT, got '" + size + "'");
        }
        int w = Integer.parseInt(wh[0].trim()), h = Integer.parseInt(wh[1].trim());
        if (w < 16 || h < 16 || w % 2 != 0 || h % 2 != 0 || w > 4096 || h > 4096) {
            throw new IllegalArgumentException("--size must be even numbers between 16 and 4096, got " + size);
        }
        if (images < 1 || framesPerImage < 1 || !(fps > 0)) {
            throw new IllegalArgumentException("--images, --frames-per-image and --fps must be positive");
        }
        String name = out.getFileName().toString();
        if (!name.endsWith(".mp4") && !name.endsWith(".avi")) {
            throw new IllegalArgumentException("--out must end in .mp4 or .avi, got " + out);
        }
        Path truth = out.resolveSibling(name.substring(0, name.length() - 4) + ".truth.csv");
        for (Path p : new Path[]{out, truth}) {
            if (Files.exists(p) && !force) {
                throw new IllegalArgumentException(p + " exists (use --force to replace it)");
            }
        }
        Split sp = split.equals("train") ? Split.TRAIN : split.equals("test") ? Split.TEST : null;
        if (sp == null) {
            throw new IllegalArgumentException("--split must be train or test, got '" + split + "'");
        }
        ImageSet set = Datasets.load(data, sp, null);
        int n = Math.min(images, set.size());
        Path tmp = out.resolveSibling("." + name + ".tmp" + name.substring(name.length() - 4));
        DatasetVideo v = DatasetVideo.write(tmp, set, n, framesPerImage, w, h, fps, seed);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        v.writeTruth(truth, set.classNames());
        System.out.printf(Locale.ROOT, "%s: %d frames (%d images x %d) at %.0f fps, %dx%d, %.1f s, %d KB; truth in %s%n", out,
                v.truth.length, n, framesPerImage, fps, w, h, v.truth.length / fps, Files.size(out) / 1024, truth);
        return 0;
    }
}
