package dev.lifvision.capture;

/** One state transition of a camera; {@code reason} is meant for operators (logs, status messages). */
public record CameraStateChange(String camera, CameraState oldState, CameraState newState, String reason, long wallMillis) {}
