package dev.lifvision.calibration;

/** Calibration cannot proceed or cannot meet its goal; the message says which and why (exit code 2). */
public final class CalibrationException extends IllegalArgumentException {
    public CalibrationException(String message) {
        super(message);
    }
}
