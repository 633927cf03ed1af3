package dev.lifvision.capture;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FrameSourcesTest {
    private static FrameSource create(String uri) {
        return FrameSources.create(CameraSettings.of("front", uri));
    }

    private static FfmpegSource ffmpeg(String uri, FfmpegSource.Kind kind) {
        FfmpegSource s = assertInstanceOf(FfmpegSource.class, create(uri));
        assertEquals(kind, s.kind(), uri);
        return s;
    }

    @Test
    void choosesBySchemeOrExtension() {
        assertEquals("/dev/video0", ffmpeg("v4l2:///dev/video0", FfmpegSource.Kind.DEVICE).target());
        assertEquals("/dev/video2", ffmpeg("/dev/video2", FfmpegSource.Kind.DEVICE).target());
        assertEquals("/data/a b.mp4", ffmpeg("file:///data/a%20b.mp4", FfmpegSource.Kind.FILE).target());
        assertEquals("/data/a b.mkv", ffmpeg("file:///data/a b.mkv", FfmpegSource.Kind.FILE).target());
        assertEquals("clips/run.MOV", ffmpeg("clips/run.MOV", FfmpegSource.Kind.FILE).target());
        ffmpeg("/data/x.avi", FfmpegSource.Kind.FILE);
        ffmpeg("rtsp://10.0.0.5:554/stream1", FfmpegSource.Kind.STREAM);
        ffmpeg("https://cam.local/video.mjpg", FfmpegSource.Kind.STREAM);
        ImageDirSource d = assertInstanceOf(ImageDirSource.class, create("dir:///data/frames"));
        assertEquals(Path.of("/data/frames"), d.dir());
    }

    @Test
    void unknownSchemeNamesTheUri() {
        String m = assertThrows(IllegalArgumentException.class, () -> create("gopher://cam/1")).getMessage();
        assertTrue(m.contains("'gopher://cam/1'") && m.contains("cameras.front.uri"), m);
        m = assertThrows(IllegalArgumentException.class, () -> create("/data/notes.txt")).getMessage();
        assertTrue(m.contains("'/data/notes.txt'"), m);
        m = assertThrows(IllegalArgumentException.class, () -> create("v4l2://dev/video0")).getMessage();
        assertTrue(m.contains("three slashes"), m);
    }

    @Test
    void describeHidesStreamPasswords() {
        String d = create("rtsp://admin:secret@10.0.0.5/stream").describe();
        assertFalse(d.contains("secret"), d);
        assertTrue(d.contains("10.0.0.5"), d);
        String m = assertThrows(IllegalArgumentException.class, () -> create("foo://admin:secret@x/y")).getMessage();
        assertFalse(m.contains("secret"), m);
    }
}
