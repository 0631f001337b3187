package io.sitegate.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What an operator could change on a running gateway, as one comparable text: every bundle with its state,
 * every configuration with its properties, every file under etc/ and the state store with its content hash.
 * Two equal fingerprints mean nothing that matters was changed in between.
 */
final class GatewayFingerprint {
    private GatewayFingerprint() {
    }

    static String of(BundleContext context, ConfigurationAdmin configAdmin) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Bundle b : context.getBundles()) {
            sb.append("bundle ").append(b.getBundleId()).append(' ').append(b.getSymbolicName()).append(' ')
                    .append(b.getVersion()).append(' ').append(b.getState()).append('\n');
        }
        Configuration[] configs = configAdmin.listConfigurations(null);
        TreeMap<String, String> byPid = new TreeMap<>();
        for (Configuration c : configs == null ? new Configuration[0] : configs) {
            byPid.put(c.getPid(), properties(c.getProperties()));
        }
        byPid.forEach((pid, props) -> sb.append("config ").append(pid).append(' ').append(props).append('\n'));
        files(sb, Paths.get(System.getProperty("karaf.etc")));
        files(sb, Paths.get(System.getProperty("karaf.data"), "sitegate"));
        return sb.toString();
    }

    private static String properties(Dictionary<String, Object> d) {
        TreeMap<String, String> sorted = new TreeMap<>();
        if (d != null) {
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                Object v = d.get(k);
                sorted.put(k, v instanceof Object[] arr ? List.of(arr).toString() : String.valueOf(v));
            }
        }
        return sorted.toString();
    }

    private static void files(StringBuilder sb, Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> s = Files.walk(root)) {
            paths = new ArrayList<>(s.filter(Files::isRegularFile).toList());
        }
        Collections.sort(paths);
        for (Path p : paths) {
            sb.append("file ").append(root.relativize(p)).append(' ').append(sha256(p)).append('\n');
        }
    }

    private static String sha256(Path p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (Exception e) {
            return "unreadable " + e.getClass().getSimpleName();
        }
    }
}
