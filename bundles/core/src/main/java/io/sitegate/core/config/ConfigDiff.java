package io.sitegate.core.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changes between two sections, in words a technician reads: a configuration added or removed, a
 * value set, changed or back to its default, and for list properties the items added and removed, or
 * the same items reordered (an upstream order is a change of behaviour).
 */
public final class ConfigDiff {
    private ConfigDiff() {
    }

    /** The changes from {@code current} to {@code proposed}; {@code lists} names the list properties. */
    public static List<ConfigChange> between(ConfigSection current, ConfigSection proposed, Set<String> lists) {
        List<ConfigChange> changes = new ArrayList<>();
        Set<String> pids = new TreeSet<>(current.configurations().keySet());
        pids.addAll(proposed.configurations().keySet());
        for (String pid : pids) {
            Map<String, String> was = current.configurations().get(pid);
            Map<String, String> will = proposed.configurations().get(pid);
            if (was == null) {
                changes.add(new ConfigChange(pid, "", pid + ": added" + (will.isEmpty() ? " (all defaults)" : " with " + describe(will))));
                continue;
            }
            if (will == null) {
                changes.add(new ConfigChange(pid, "", pid + ": removed"));
                continue;
            }
            Set<String> keys = new TreeSet<>(was.keySet());
            keys.addAll(will.keySet());
            for (String key : keys) {
                String a = was.getOrDefault(key, "");
                String b = will.getOrDefault(key, "");
                if (a.equals(b) || lists.contains(key) && items(a).equals(items(b))) {
                    continue;
                }
                changes.add(new ConfigChange(pid, key, pid + ": " + key + " " + (lists.contains(key) ? listChange(a, b) : scalarChange(a, b))));
            }
        }
        return changes;
    }

    private static String describe(Map<String, String> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }

    private static String scalarChange(String a, String b) {
        if (a.isEmpty()) {
            return "set to '" + b + "' (was the default)";
        }
        if (b.isEmpty()) {
            return "back to the default (was '" + a + "')";
        }
        return "changed from '" + a + "' to '" + b + "'";
    }

    private static String listChange(String a, String b) {
        List<String> was = items(a);
        List<String> will = items(b);
        Set<String> added = new LinkedHashSet<>(will);
        was.forEach(added::remove);
        Set<String> removed = new LinkedHashSet<>(was);
        will.forEach(removed::remove);
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("added " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + String.join(", ", removed));
        }
        if (added.isEmpty() && removed.isEmpty()) {
            parts.add("reordered from " + String.join(", ", was) + " to " + String.join(", ", will));
        } else if (!was.isEmpty() && !will.isEmpty()) {
            List<String> kept = new ArrayList<>(was);
            kept.retainAll(will);
            List<String> keptNew = new ArrayList<>(will);
            keptNew.retainAll(was);
            if (!kept.equals(keptNew)) {
                parts.add("reordered to " + String.join(", ", will));
            }
        }
        return String.join("; ", parts);
    }

    private static List<String> items(String s) {
        return s.isEmpty() ? List.of() : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
