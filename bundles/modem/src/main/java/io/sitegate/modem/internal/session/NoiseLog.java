package io.sitegate.modem.internal.session;

import io.sitegate.modem.AtSecrets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs unexpected lines once per kind at INFO, afterwards at DEBUG, so a chatty modem cannot flood the log. */
final class NoiseLog {

    private static final Logger LOG = LoggerFactory.getLogger(NoiseLog.class);
    private static final int MAX_KINDS = 64;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** @return true when this kind was logged at INFO now (first time) */
    boolean report(String kind, String line) {
        String shown = AtSecrets.loggable(line.length() > 120 ? line.substring(0, 120) + "..." : line);
        if (seen.size() < MAX_KINDS && seen.add(kind)) {
            LOG.info("Ignoring {} from the modem outside any command: '{}' (further ones at DEBUG)", kind, shown);
            return true;
        }
        LOG.debug("Ignoring {}: '{}'", kind, shown);
        return false;
    }
}
