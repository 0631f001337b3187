package io.sitegate.tools.modemsim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the scenario language (see README): one statement per line, {@code #} comments, statements
 * {@code set}, {@code urc}, {@code sms}, {@code reset}, {@code fault}, {@code on ... urc}, and {@code after
 * <duration> <statement>}. Every error names the source and the line number.
 */
public final class ScenarioParser {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final int MAX_GARBAGE = 1 << 20;
    private static final int MAX_STORM = 10_000_000;

    private ScenarioParser() {
    }

    /** Parses a whole script. */
    public static Scenario parse(String text, String source) throws ScenarioException {
        List<Scenario.Step> steps = new ArrayList<>();
        String[] lines = text.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Scenario.Step step = parseLine(lines[i], source, i + 1);
            if (step != null) {
                steps.add(step);
            }
        }
        return new Scenario(List.copyOf(steps));
    }

    /** @return the statement on one line, or null for a blank or comment line */
    public static Scenario.Step parseLine(String line, String source, int lineNumber) throws ScenarioException {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        try {
            ScenarioTokens t = new ScenarioTokens(text);
            Duration delay = Duration.ZERO;
            int at = 0;
            while ("after".equals(t.get(at))) {
                delay = delay.plus(duration(require(t, at + 1, "after needs a duration, e.g. 'after 2s'")));
                at += 2;
            }
            return new Scenario.Step(lineNumber, delay, statement(t, at));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(source, lineNumber, e.getMessage() + " in '" + text + "'");
        }
    }

    private static Scenario.Action statement(ScenarioTokens t, int at) {
        String keyword = require(t, at, "missing statement");
        return switch (keyword) {
            case "set" -> SetStatement.parse(t, at + 1);
            case "urc" -> {
                require(t, at + 1, "urc needs the line to emit");
                String urc = t.rest(at + 1);
                yield sim -> sim.modem().urc(urc);
            }
            case "sms" -> sms(t, at + 1);
            case "reset" -> {
                noMore(t, at + 1);
                yield sim -> sim.modem().reboot();
            }
            case "fault" -> fault(t, at + 1);
            case "on" -> inject(t, at + 1);
            default -> throw new IllegalArgumentException("unknown statement '" + keyword
                    + "' (expected set, urc, sms, reset, fault, on, after)");
        };
    }

    private static Scenario.Action sms(ScenarioTokens t, int at) {
        Map<String, String> kv = SetStatement.keyValues(t.from(at), List.of("from", "text"), "sms");
        String from = kv.get("from");
        String text = kv.get("text");
        if (from == null || text == null) {
            throw new IllegalArgumentException("sms needs from=<number> text=\"...\"");
        }
        if (!from.matches("\\+?[0-9]{3,20}")) {
            throw new IllegalArgumentException("bad SMS originator '" + from + "'");
        }
        return sim -> sim.modem().receiveSms(from, text);
    }

    private static Scenario.Action fault(ScenarioTokens t, int at) {
        String kind = require(t, at, "fault needs a kind (no-answer, cme, delay, garbage, drop, urc-storm, clear)");
        switch (kind) {
            case "no-answer" -> {
                String pattern = require(t, at + 1, "fault no-answer needs a command");
                noMore(t, at + 2);
                return sim -> sim.faults().add(new FaultPlan.Rule(pattern, FaultPlan.Kind.NO_ANSWER, 0, null, null));
            }
            case "cme" -> {
                String pattern = require(t, at + 1, "fault cme needs a command and a code");
                int code = integer(require(t, at + 2, "fault cme needs an error code"), 0, 65535, "CME code");
                noMore(t, at + 3);
                return sim -> sim.faults().add(new FaultPlan.Rule(pattern, FaultPlan.Kind.CME, code, null, null));
            }
            case "delay" -> {
                String pattern = require(t, at + 1, "fault delay needs a command and a duration");
                Duration d = duration(require(t, at + 2, "fault delay needs a duration"));
                noMore(t, at + 3);
                return sim -> sim.faults().add(new FaultPlan.Rule(pattern, FaultPlan.Kind.DELAY, 0, d, null));
            }
            case "garbage" -> {
                int n = integer(require(t, at + 1, "fault garbage needs a byte count"), 1, MAX_GARBAGE, "byte count");
                noMore(t, at + 2);
                return sim -> sim.garbage(n);
            }
            case "drop" -> {
                Duration d = t.get(at + 1) == null ? Duration.ofSeconds(1) : duration(t.get(at + 1));
                noMore(t, at + 2);
                return sim -> sim.unplug(d);
            }
            case "urc-storm" -> {
                int n = integer(require(t, at + 1, "fault urc-storm needs a count"), 1, MAX_STORM, "URC count");
                String urc = require(t, at + 2, "fault urc-storm needs the URC line");
                String line = t.rest(at + 2);
                return sim -> sim.urcStorm(n, line == null ? urc : line);
            }
            case "clear" -> {
                String pattern = t.get(at + 1);
                noMore(t, at + 2);
                return sim -> {
                    if (pattern == null) {
                        sim.faults().clear();
                    } else {
                        sim.faults().clear(pattern);
                    }
                };
            }
            default -> throw new IllegalArgumentException("unknown fault '" + kind
                    + "' (expected no-answer, cme, delay, garbage, drop, urc-storm, clear)");
        }
    }

    private static Scenario.Action inject(ScenarioTokens t, int at) {
        String pattern = require(t, at, "on needs a command");
        if (!"urc".equals(t.get(at + 1)) || t.get(at + 2) == null) {
            throw new IllegalArgumentException("expected 'on <command> urc <line>'");
        }
        String urc = t.rest(at + 2);
        return sim -> sim.faults().add(new FaultPlan.Rule(pattern, FaultPlan.Kind.INJECT_URC, 0, null, urc));
    }

    static String require(ScenarioTokens t, int i, String message) {
        String s = t.get(i);
        if (s == null) {
            throw new IllegalArgumentException(message);
        }
        return s;
    }

    static void noMore(ScenarioTokens t, int i) {
        if (t.get(i) != null) {
            throw new IllegalArgumentException("unexpected '" + t.get(i) + "'");
        }
    }

    /** @return a duration such as {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, {@code 1h} */
    static Duration duration(String s) {
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration '" + s + "' (e.g. 500ms, 2s, 1.5s, 1m)");
        }
        double value = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> value;
            case "s" -> value * 1000;
            case "m" -> value * 60_000;
            default -> value * 3_600_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    static int integer(String s, int min, int max, String what) {
        try {
            int v = Integer.parseInt(s);
            if (v < min || v > max) {
                throw new IllegalArgumentException(what + " " + v + " out of range " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + what + " '" + s + "'");
        }
    }
}
