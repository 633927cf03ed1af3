package dev.lifvision.publish;

/** Checks done before a message reaches the client, so that a programming error fails at the caller. */
final class Topics {
    private Topics() {
    }

    /** Topic names for publishing: no wildcards, since a broker disconnects a client that publishes to one. */
    static void validateTopic(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0 || topic.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("topic '" + topic + "' must not contain wildcards (+, #) or NUL");
        }
    }

    /** Filters may use + and # only as whole levels, # only last. */
    static void validateFilter(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("topic filter must not be empty");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("topic filter '" + filter + "': # must be the whole last level");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("topic filter '" + filter + "': + must be a whole level");
            }
        }
    }

    static void validateQos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, got " + qos);
        }
    }
}
