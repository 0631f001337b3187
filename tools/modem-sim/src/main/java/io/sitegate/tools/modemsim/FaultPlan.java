package io.sitegate.tools.modemsim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Per-command misbehaviour set by scenarios: never answer, answer with a given CME error, answer late, or
 * carry a URC in the middle of the answer. Patterns match a whole command line ignoring case; a trailing
 * {@code *} matches by prefix ({@code AT+QCFG=*}).
 */
public final class FaultPlan {

    /** What to do instead of answering normally. */
    public enum Kind { NO_ANSWER, CME, DELAY, INJECT_URC }

    /**
     * One rule.
     *
     * @param pattern command line pattern
     * @param kind    misbehaviour
     * @param code    CME error code for {@link Kind#CME}
     * @param delay   pause for {@link Kind#DELAY}
     * @param urc     URC line for {@link Kind#INJECT_URC}
     */
    public record Rule(String pattern, Kind kind, int code, Duration delay, String urc) {

        boolean matches(String line) {
            String p = pattern.toUpperCase(Locale.ROOT);
            String l = line.strip().toUpperCase(Locale.ROOT);
            return p.endsWith("*") ? l.startsWith(p.substring(0, p.length() - 1)) : l.equals(p);
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    /** Adds a rule; rules for the same command add up (a delay and an injected URC, for instance). */
    public void add(Rule rule) {
        rules.add(rule);
    }

    /** @return rules matching a command line, in the order they were added */
    public List<Rule> matching(String line) {
        List<Rule> out = new ArrayList<>();
        for (Rule r : rules) {
            if (r.matches(line)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Removes every rule. */
    public void clear() {
        rules.clear();
    }

    /** Removes the rules with exactly this pattern (ignoring case). */
    public void clear(String pattern) {
        rules.removeIf(r -> r.pattern().equalsIgnoreCase(pattern));
    }
}
