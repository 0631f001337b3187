package io.sitegate.tools.ctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a policy section would change on a gateway: the configurations in force (PID to properties, as the
 * gateway's status reports them) against the policy's, property by property. Pure: no broker, no files.
 */
final class SectionDiff {
    private SectionDiff() {
    }

    /**
     * The changes, one line each ({@code dns: io.sitegate.dns upstreams: "a" -> "b"}), or the single line
     * {@code <section>: no change}.
     */
    static List<String> diff(String section, Map<String, Map<String, String>> inForce, Map<String, Map<String, String>> policy) {
        Map<String, Map<String, String>> before = inForce == null ? Map.of() : inForce;
        List<String> lines = new ArrayList<>();
        TreeSet<String> pids = new TreeSet<>(before.keySet());
        pids.addAll(policy.keySet());
        for (String pid : pids) {
            Map<String, String> was = before.get(pid);
            Map<String, String> will = policy.get(pid);
            if (was == null) {
                lines.add(section + ": " + pid + " added" + (pid.contains("~") ? " (new instance)" : "") + " " + render(will));
            } else if (will == null) {
                lines.add(section + ": " + pid + " removed" + (pid.contains("~") ? " (instance)" : ""));
            } else {
                TreeSet<String> keys = new TreeSet<>(was.keySet());
                keys.addAll(will.keySet());
                for (String k : keys) {
                    String a = was.get(k);
                    String b = will.get(k);
                    if (a == null) {
                        lines.add(section + ": " + pid + " " + k + ": added " + quote(b));
                    } else if (b == null) {
                        lines.add(section + ": " + pid + " " + k + ": removed (was " + quote(a) + ")");
                    } else if (!Objects.equals(a, b)) {
                        lines.add(section + ": " + pid + " " + k + ": " + quote(a) + " -> " + quote(b));
                    }
                }
            }
        }
        if (lines.isEmpty()) {
            lines.add(section + ": no change");
        }
        return lines;
    }

    private static String render(Map<String, String> props) {
        StringBuilder b = new StringBuilder("{");
        new TreeMap<>(props).forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(quote(v)));
        return b.append('}').toString();
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
