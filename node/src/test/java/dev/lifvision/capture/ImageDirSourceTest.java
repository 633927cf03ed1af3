package dev.lifvision.capture;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDirSourceTest {
    @TempDir Path dir;

    private void png(String name, int type, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(6, 4, type);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                // setRGB on a grey image would store the linear value of an sRGB grey: write the sample itself.
                if (type == BufferedImage.TYPE_BYTE_GRAY) img.getRaster().setSample(x, y, 0, rgb & 0xFF);
                else img.setRGB(x, y, rgb);
            }
        }
        assertTrue(ImageIO.write(img, "png", dir.resolve(name).toFile()));
    }

    private CameraSettings settings() {
        return CameraSettings.of("d", "dir://" + dir).withPace(false);
    }

    @Test
    void readsImagesInNameOrderAsRgb() throws IOException {
        png("b.png", BufferedImage.TYPE_INT_RGB, 0x00FF00);
        png("a.png", BufferedImage.TYPE_3BYTE_BGR, 0xFF0000);
        png("c.PNG", BufferedImage.TYPE_INT_ARGB, 0xFF0000FF);
        png("d.png", BufferedImage.TYPE_BYTE_GRAY, 0x404040);
        png(".hidden.png", BufferedImage.TYPE_INT_RGB, 0xFFFFFF);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        FrameSource src = FrameSources.create(settings());
        src.open();
        CameraFrame f = new CameraFrame();
        int[][] expected = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
        for (int i = 0; i < 3; i++) {
            assertTrue(src.grab(f));
            assertEquals(i + 1, f.id);
            assertEquals(6, f.width);
            assertEquals(4, f.height);
            for (int c = 0; c < 3; c++) assertEquals(expected[i][c], f.pixels[3 * 5 + c] & 0xFF, "image " + i + " channel " + c);
        }
        assertTrue(src.grab(f));
        assertEquals(0x40, f.pixels[0] & 0xFF, "grey samples are taken raw, not gamma-converted");
        assertFalse(src.grab(f));
        src.close();
    }

    @Test
    void loops() throws IOException {
        png("1.png", BufferedImage.TYPE_INT_RGB, 0x010101);
        png("2.png", BufferedImage.TYPE_INT_RGB, 0x020202);
        FrameSource src = FrameSources.create(settings().withLoop(true));
        src.open();
        CameraFrame f = new CameraFrame();
        for (int i = 0; i < 5; i++) {
            assertTrue(src.grab(f));
            assertEquals(i % 2 + 1, f.pixels[0]);
        }
        src.close();
    }

    @Test
    void missingOrEmptyFolderSaysSo() throws IOException {
        Path missing = dir.resolve("none");
        IOException e = assertThrows(IOException.class,
                FrameSources.create(CameraSettings.of("d", "dir://" + missing))::open);
        assertEquals("camera d: image folder " + missing + " not found", e.getMessage());
        e = assertThrows(IOException.class, FrameSources.create(settings())::open);
        assertTrue(e.getMessage().contains("has no .png or .jpg images"), e.getMessage());
    }
}
