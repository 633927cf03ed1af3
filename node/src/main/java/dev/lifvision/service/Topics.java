package dev.lifvision.service;

/** Every MQTT topic of one node, under {@code <prefix>/<node_id>} (Frigate's layout: state topics, {@code /set} commands). */
final class Topics {
    final String base;
    final String discoveryPrefix;

    Topics(String base, String discoveryPrefix) {
        this.base = base;
        this.discoveryPrefix = discoveryPrefix;
    }

    String status() {
        return base + "/status";
    }

    String model() {
        return base + "/model";
    }

    String stats() {
        return base + "/stats";
    }

    String response() {
        return base + "/response";
    }

    String error() {
        return base + "/error";
    }

    String classification(String camera) {
        return base + "/" + camera + "/classification";
    }

    String health(String camera) {
        return base + "/" + camera + "/health";
    }

    String detectSet(String camera) {
        return base + "/" + camera + "/detect/set";
    }

    String detectState(String camera) {
        return base + "/" + camera + "/detect/state";
    }

    String captureSet() {
        return base + "/capture/set";
    }

    String captureState() {
        return base + "/capture/state";
    }

    String captureSnapshot() {
        return base + "/capture/snapshot";
    }

    String modelReload() {
        return base + "/model/reload";
    }

    String homeAssistantStatus() {
        return discoveryPrefix + "/status";
    }
}
