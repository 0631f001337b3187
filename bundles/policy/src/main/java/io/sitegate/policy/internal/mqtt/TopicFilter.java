package io.sitegate.policy.internal.mqtt;

/** MQTT topic filter matching ({@code +} one level, {@code #} the rest), as a broker does it. */
final class TopicFilter {
    private TopicFilter() {
    }

    /** Whether {@code topic} matches {@code filter}. Topics starting with {@code $} never match wildcards at level 1. */
    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (!topic.isEmpty() && topic.charAt(0) == '$' && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
