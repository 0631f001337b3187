package io.sitegate.access.internal.keys;

import java.security.Principal;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.karaf.jaas.boot.principal.GroupPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The decision of one login: does the presented key belong to the user, and with which principals. */
final class OperatorKeys {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorKeys.class);
    /** Problems already logged, so a broken line is reported once, not at every login attempt. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private OperatorKeys() {
    }

    /** The user's principals when {@code presented} is the key listed for them, else empty. */
    static Optional<Set<Principal>> principals(Properties keys, String user, PublicKey presented) {
        if (user.startsWith("_g_")) {
            return Optional.empty();
        }
        String line = keys.getProperty(user);
        if (line == null) {
            return Optional.empty();
        }
        String[] fields = line.split(",");
        OpenSshKey listed;
        try {
            listed = OpenSshKey.parse(fields[0]);
        } catch (IllegalArgumentException e) {
            report(user, e.getMessage());
            return Optional.empty();
        }
        if (!listed.matches(presented)) {
            return Optional.empty();
        }
        Set<Principal> principals = new HashSet<>();
        principals.add(new UserPrincipal(user));
        for (int i = 1; i < fields.length; i++) {
            String ref = fields[i].trim();
            if (!ref.startsWith(SitegatePublickeyLoginModule.GROUP_PREFIX)) {
                // a bare role in a key line is how a hand-edited file would grant itself admin: groups only
                report(user, "field " + (i + 1) + " is not a group reference (_g_:<group>); it is ignored");
                continue;
            }
            String group = ref.substring(SitegatePublickeyLoginModule.GROUP_PREFIX.length());
            String roles = keys.getProperty(ref);
            if (roles == null) {
                report(user, "group '" + group + "' is not defined");
                continue;
            }
            principals.add(new GroupPrincipal(group));
            String[] r = roles.split(",");
            for (int j = 1; j < r.length; j++) {
                principals.add(new RolePrincipal(r[j].trim()));
            }
        }
        return Optional.of(principals);
    }

    private static void report(String user, String problem) {
        if (REPORTED.add(user + ": " + problem)) {
            LOG.warn("etc/keys.properties, user '{}': {}", user.replaceAll("[^A-Za-z0-9._-]", "?"), problem);
        }
    }
}
