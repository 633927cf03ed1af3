package dev.lifvision.data;

/** Which part of a dataset to load. */
public enum Split {
    TRAIN, TEST;

    /** Folder name used by image-folder datasets ("train" / "test"). */
    String folderName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
