package dev.lifvision.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir Path dir;

    static final byte[] RED = Fixtures.png(4, 3, 0xFF0000), BLUE = Fixtures.png(4, 3, 0x0000FF);

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }

    private int[] pixel(ImageSet set, int image, int x, int y) {
        int off = image * set.imageSize() + (y * set.width() + x) * set.channels();
        int[] v = new int[set.channels()];
        for (int c = 0; c < v.length; c++) v[c] = set.pixels()[off + c] & 0xFF;
        return v;
    }

    @Test
    void directoryWithPngAndJpeg() throws Exception {
        // PNG pixel (x, y) = rgb(10x, 20y, 200): exact; the JPEG is lossy, so only its shape and rough colour are checked
        Fixtures.write(dir.resolve("zebra/b.png"), Fixtures.image("png", 4, 3, false, (x, y) -> (10 * x) << 16 | (20 * y) << 8 | 200));
        Fixtures.write(dir.resolve("zebra/a.jpg"), Fixtures.image("jpg", 4, 3, false, (x, y) -> 0x00FF00));
        Fixtures.write(dir.resolve("Apple/x.PNG"), BLUE);
        Fixtures.write(dir.resolve("mango/notes.txt"), new byte[] {1, 2, 3});
        Fixtures.write(dir.resolve("mango/.hidden.png"), new byte[] {1, 2, 3}); // e.g. macOS "._" files: ignored
        Fixtures.write(dir.resolve(".git/x.png"), new byte[] {1});
        Fixtures.write(dir.resolve("stray.png"), RED);
        ImageSet set = ImageFolder.read(dir, null, null);
        assertEquals(List.of("Apple", "mango", "zebra"), set.classNames()); // case-sensitive order, empty folder still a class
        assertArrayEquals(new int[] {0, 2, 2}, set.labels());
        assertEquals(3, set.height());
        assertEquals(4, set.width());
        assertEquals(3, set.channels());
        assertArrayEquals(new int[] {0, 0, 255}, pixel(set, 0, 1, 1));
        int[] green = pixel(set, 1, 2, 2); // a.jpg sorts before b.png
        assertTrue(green[1] > 200 && green[0] < 50 && green[2] < 50, Arrays.toString(green));
        assertArrayEquals(new int[] {30, 40, 200}, pixel(set, 2, 3, 2));
    }

    @Test
    void greyImagesHaveOneChannelWithRawValues() throws Exception {
        Fixtures.write(dir.resolve("g/a.png"), Fixtures.image("png", 5, 2, true, (x, y) -> 50 * x + y));
        ImageSet set = ImageFolder.read(dir, null, null);
        assertEquals(1, set.channels());
        assertArrayEquals(new int[] {151}, pixel(set, 0, 3, 1)); // getRGB would have gamma-brightened this
    }

    @Test
    void inconsistentSizeNamesBothFiles() throws Exception {
        Fixtures.write(dir.resolve("a/1.png"), RED);
        Fixtures.write(dir.resolve("b/2.png"), Fixtures.png(5, 3, 0));
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.read(dir, null, null));
        assertMessage(e, "2.png", "3x5x3", "1.png", "3x4x3");
    }

    @Test
    void inconsistentChannelsIsAnError() throws Exception {
        Fixtures.write(dir.resolve("a/1.png"), RED);
        Fixtures.write(dir.resolve("a/2.png"), Fixtures.image("png", 4, 3, true, (x, y) -> 0));
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.read(dir, null, null));
        assertMessage(e, "2.png", "3x4x1", "3x4x3");
    }

    @Test
    void corruptImageNamesFile() throws Exception {
        Fixtures.write(dir.resolve("a/1.png"), RED);
        Fixtures.write(dir.resolve("a/2.jpg"), "not a jpeg at all".getBytes());
        assertMessage(assertThrows(DatasetException.class, () -> ImageFolder.read(dir, null, null)), "2.jpg");
        Fixtures.write(dir.resolve("a/2.jpg"), Arrays.copyOf(RED, RED.length / 2)); // a truncated PNG behind a .jpg name
        assertMessage(assertThrows(DatasetException.class, () -> ImageFolder.read(dir, null, null)), "2.jpg");
    }

    @Test
    void noImagesOrMissingSubfolder() throws Exception {
        Files.createDirectories(dir.resolve("train/a"));
        assertMessage(assertThrows(DatasetException.class, () -> ImageFolder.read(dir, "train", null)), "no .jpg/.jpeg/.png");
        assertMessage(assertThrows(DatasetException.class, () -> ImageFolder.read(dir, "test", null)), "no folder 'test'", "[train]");
        assertMessage(assertThrows(DatasetException.class, () -> ImageFolder.read(dir.resolve("nope"), null, null)), "nope");
    }

    @Test
    void tarGzWithTrainAndTestFolders() throws Exception {
        byte[] tgz = new Fixtures.Tar()
                .dir("./").dir("./train/").dir("./train/cat/").dir("./train/dog/").dir("./train/empty/")
                .file("./train/dog/2.png", BLUE).file("./train/dog/1.png", RED).file("./train/cat/9.png", RED)
                .file("./test/dog/5.png", BLUE).file("./test/readme.txt", new byte[700])
                .gz();
        Path archive = Fixtures.write(dir.resolve("set.tgz"), tgz);
        ImageSet train = ImageFolder.read(archive, "train", null);
        assertEquals(List.of("cat", "dog", "empty"), train.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, train.labels());
        assertArrayEquals(new int[] {255, 0, 0}, pixel(train, 1, 0, 0)); // dog/1.png before dog/2.png
        assertArrayEquals(new int[] {0, 0, 255}, pixel(train, 2, 3, 2));
        ImageSet test = ImageFolder.read(archive, "test", null);
        assertEquals(List.of("dog"), test.classNames());
        assertEquals(1, test.size());
        // plain (not gzipped) tar works too: gzip is detected by magic bytes
        Path tar = Fixtures.write(dir.resolve("set.tar"), new Fixtures.Tar().file("c/1.png", RED).bytes());
        assertEquals(1, ImageFolder.read(tar, null, null).size());
    }

    @Test
    void tarLongPathsViaGnuPaxAndUstarPrefix() throws Exception {
        String cls = "a-class-folder-name-that-is-long-" + "x".repeat(60);
        String file = "an-image-file-name-that-is-also-quite-long-" + "y".repeat(40);
        byte[] tgz = new Fixtures.Tar()
                .file("train/" + cls + "/" + file + "-1.png", RED)          // GNU 'L'
                .pax("train/" + cls + "/" + file + "-2.png", BLUE)          // pax path=
                .ustarPrefixed("train/" + cls, file + "-3.png", RED)        // ustar prefix
                .gz();
        assertTrue(("train/" + cls + "/" + file).length() > 100);
        ImageSet set = ImageFolder.read(Fixtures.write(dir.resolve("long.tar.gz"), tgz), "train", null);
        assertEquals(List.of(cls), set.classNames());
        assertEquals(3, set.size());
        assertArrayEquals(new int[] {0, 0, 255}, pixel(set, 1, 0, 0));
    }

    @Test
    void systemTarLongPathsIfAvailable() throws Exception {
        String cls = "c".repeat(90), file = "f".repeat(105) + ".png"; // too long for the ustar prefix split
        Fixtures.write(dir.resolve("src/train/" + cls + "/" + file), RED);
        Fixtures.write(dir.resolve("src/test/" + cls + "/" + file), BLUE);
        for (String format : List.of("gnu", "posix")) {
            Path out = dir.resolve(format + ".tar.gz");
            int rc;
            try {
                rc = new ProcessBuilder("tar", "--format=" + format, "-czf", out.toString(), "-C", dir.resolve("src").toString(), ".")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (java.io.IOException e) {
                rc = -1;
            }
            if (rc != 0) {
                System.err.println("SKIPPED: system tar (GNU, --format=" + format + ") not usable, rc " + rc);
                continue;
            }
            ImageSet test = Datasets.load("folder:" + out, Split.TEST, null);
            assertEquals(List.of(cls), test.classNames());
            assertArrayEquals(new int[] {0, 0, 255}, pixel(test, 0, 0, 0));
        }
    }

    @Test
    void brokenArchives() throws Exception {
        byte[] tgz = new Fixtures.Tar().file("a/1.png", RED).file("a/2.png", RED).gz();
        Path cut = Fixtures.write(dir.resolve("cut.tar.gz"), Arrays.copyOf(tgz, tgz.length - 30));
        assertMessage(assertThrows(DatasetException.class, () -> ImageFolder.read(cut, null, null)), "cut.tar.gz");
        byte[] tar = new Fixtures.Tar().file("a/1.png", RED).file("a/2.png", RED).bytes();
        Path short_ = Fixtures.write(dir.resolve("short.tar.gz"), Fixtures.gzip(Arrays.copyOf(tar, 512 + 100)));
        assertMessage(assertThrows(DatasetException.class, () -> ImageFolder.read(short_, null, null)), "short.tar.gz", "truncated", "a/1.png");
        Path notTar = Fixtures.write(dir.resolve("x.tar.gz"), Fixtures.gzip("hello".repeat(200).getBytes()));
        assertMessage(assertThrows(DatasetException.class, () -> ImageFolder.read(notTar, null, null)), "x.tar.gz", "not a tar archive");
        Path corrupt = Fixtures.write(dir.resolve("c.tgz"), new Fixtures.Tar().file("a/1.png", RED).file("a/2.png", new byte[50]).gz());
        assertMessage(assertThrows(DatasetException.class, () -> ImageFolder.read(corrupt, null, null)), "c.tgz", "entry a/2.png");
    }

    @Test
    void progressIsMonotoneAndEndsAtSize() throws Exception {
        Fixtures.Tar tar = new Fixtures.Tar();
        byte[] tiny = Fixtures.png(1, 1, 0x123456);
        for (int i = 0; i < 2500; i++) tar.file(String.format("c%d/%04d.png", i % 2, i), tiny);
        List<Integer> calls = new ArrayList<>();
        ImageSet set = ImageFolder.read(Fixtures.write(dir.resolve("many.tgz"), tar.gz()), null, calls::add);
        assertEquals(2500, set.size());
        assertTrue(calls.size() >= 3, calls.toString());
        assertEquals(2500, calls.get(calls.size() - 1));
        for (int i = 1; i < calls.size(); i++) assertTrue(calls.get(i) > calls.get(i - 1), calls.toString());
        assertEquals(1250, Arrays.stream(set.labels()).sum());
    }
}
