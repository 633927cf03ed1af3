package dev.lifvision.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetsTest {
    @TempDir Path dir;

    static final byte[] RED = Fixtures.png(2, 2, 0xFF0000);

    @ParameterizedTest
    @ValueSource(strings = {"", "mnist", "mnist:", ":x", "imagenet:/data"})
    void badSpecsSayWhatIsExpected(String spec) {
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(spec, Split.TEST, null));
        assertTrue(e.getMessage().contains("mnist:DIR, cifar10:DIR or folder:DIR_OR_TAR_GZ"), e.getMessage());
    }

    @Test
    void folderUsesSplitSubfoldersOnlyWhenBothExist() throws Exception {
        Fixtures.write(dir.resolve("split/train/a/1.png"), RED);
        Fixtures.write(dir.resolve("split/train/b/1.png"), RED);
        Fixtures.write(dir.resolve("split/test/b/1.png"), RED);
        assertEquals(2, Datasets.load("folder:" + dir.resolve("split"), Split.TRAIN, null).size());
        ImageSet test = Datasets.load("folder:" + dir.resolve("split"), Split.TEST, null);
        assertEquals(List.of("b"), test.classNames());
        assertEquals("folder:" + dir.resolve("split") + " (test)", test.source());

        Fixtures.write(dir.resolve("flat/train/1.png"), RED); // a class that happens to be called "train", no "test"
        Fixtures.write(dir.resolve("flat/x/1.png"), RED);
        for (Split s : Split.values()) {
            assertEquals(List.of("train", "x"), Datasets.load("folder:" + dir.resolve("flat"), s, null).classNames());
        }
    }

    @Test
    void folderAndCifarFromArchive() throws Exception {
        byte[] tgz = new Fixtures.Tar()
                .file("train/airplane/1.png", RED).file("train/truck/1.png", RED).file("train/truck/2.png", RED)
                .file("test/airplane/1.png", RED).file("test/truck/1.png", RED)
                .file("flatclass/1.png", RED) // would be a class only in the flat layout; still kept in memory then
                .gz();
        Path archive = Fixtures.write(dir.resolve(Datasets.CIFAR_ARCHIVE), tgz);
        assertEquals(3, Datasets.load("folder:" + archive, Split.TRAIN, null).size());
        assertEquals(3, Datasets.load("cifar10:" + dir, Split.TRAIN, null).size());
        ImageSet test = Datasets.load("cifar10:" + archive, Split.TEST, null);
        assertEquals(List.of("airplane", "truck"), test.classNames());
        assertArrayEquals(new int[] {0, 1}, test.labels());
    }
}
