package io.sitegate.modem.internal.service;

import io.sitegate.core.SafeText;
import io.sitegate.modem.AtCommand;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.FinalResult;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional commands one modem's model answered as not supported (a plain {@code ERROR}, or
 * {@code +CME ERROR: 4} "operation not supported"): learned once, said once in the log, and not sent to
 * that model again. Kept per modem instance for as long as its component lives, so across re-opened ports,
 * re-initialisations and reconfigurations; keyed by the model, so another module plugged in behind the
 * same port is asked afresh. Thread-safe: the keeper and API calls use it.
 */
final class UnsupportedCommands {
    private static final Logger LOG = LoggerFactory.getLogger(UnsupportedCommands.class);

    private final String modemId;
    private final Map<String, Set<String>> byModel = new ConcurrentHashMap<>();

    UnsupportedCommands(String modemId) {
        this.modemId = modemId;
    }

    /** The modem these commands were learned from, for log lines. */
    String modemId() {
        return modemId;
    }

    /** Whether {@code command} is known to be unsupported by {@code model}. */
    boolean skips(String model, AtCommand command) {
        Set<String> known = byModel.get(model);
        return known != null && known.contains(key(command));
    }

    /**
     * Learns from a failed answer to an optional command: when it says "not supported", the command is
     * remembered for the model (logged the first time, naming the step and the modem's error).
     *
     * @return whether the answer meant "not supported"
     */
    boolean learn(String model, String step, AtResponse failed) {
        if (!meansUnsupported(failed.result())) {
            return false;
        }
        if (byModel.computeIfAbsent(model, m -> ConcurrentHashMap.newKeySet()).add(key(failed.command()))) {
            LOG.warn("modem {}: {}: {} refused: {}; {} does not support it, not sent to this model again", modemId, step,
                    failed.command().loggable(), StepFailure.modemSays(failed.result()), SafeText.escape(model));
        }
        return true;
    }

    /** The commands learned for {@code model}. */
    Set<String> of(String model) {
        return Set.copyOf(byModel.getOrDefault(model, Set.of()));
    }

    /** A plain {@code ERROR} (no extended error: an unknown command) or CME 4, "operation not supported". */
    static boolean meansUnsupported(FinalResult result) {
        if (result.kind() == FinalResult.Kind.ERROR) {
            return true;
        }
        return result.error().map(e -> e.isCme(4)
                || e.description().toLowerCase(Locale.ROOT).contains("operation not supported")).orElse(false);
    }

    private static String key(AtCommand command) {
        return command.line().toUpperCase(Locale.ROOT);
    }
}
