package io.sitegate.cellular.internal;

import io.sitegate.cellular.QuotaKind;
import io.sitegate.cellular.QuotaOverride;
import io.sitegate.cellular.QuotaPolicy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The quota ledger as stored in the state store (key {@code cellular.quota.<modem>}), format 1:
 * <pre>
 * format=1
 * cycleStart=2025-03-14T23:00:00Z         cycleEnd=2025-04-14T22:00:00Z
 * used.data=1234  used.sms-mo=3  used.sms-mt=0                    (counted in this cycle)
 * baseline.data=98765  baseline.sms-mo=10  baseline.sms-mt=     (the modem totals last seen; blank: none yet)
 * warned.data=80  warned.sms-mo=  warned.sms-mt=                  (thresholds already reported this cycle)
 * override=none|cycle|bytes  override.bytes=  override.by=  override.granted=  override.expires=
 * </pre>
 * (one field per line in the real document).
 */
final class QuotaDocument {
    static final int FORMAT = 1;
    private static final String NAME = "cellular quota ledger";

    /** What the ledger persists. */
    record Content(Instant cycleStart, Instant cycleEnd, Map<QuotaKind, Long> used, Map<QuotaKind, OptionalLong> baseline,
                   Map<QuotaKind, List<Integer>> warned, Optional<QuotaOverride> override) {
    }

    private QuotaDocument() {
    }

    static byte[] encode(Content c) {
        Map<String, String> f = new TreeMap<>();
        f.put("cycleStart", c.cycleStart().toString());
        f.put("cycleEnd", c.cycleEnd().toString());
        for (QuotaKind kind : QuotaKind.values()) {
            f.put("used." + kind.label(), Long.toString(c.used().get(kind)));
            OptionalLong base = c.baseline().get(kind);
            f.put("baseline." + kind.label(), base.isPresent() ? Long.toString(base.getAsLong()) : "");
            f.put("warned." + kind.label(), c.warned().get(kind).stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        if (c.override().isEmpty()) {
            f.put("override", "none");
        } else {
            QuotaOverride o = c.override().get();
            f.put("override", o.wholeCycle() ? "cycle" : "bytes");
            if (!o.wholeCycle()) {
                f.put("override.bytes", Long.toString(o.extraBytes().getAsLong()));
            }
            f.put("override.by", o.grantedBy());
            f.put("override.granted", o.granted().toString());
            f.put("override.expires", o.expires().toString());
        }
        return StateDocument.write(FORMAT, f);
    }

    static Content decode(byte[] bytes) throws MalformedStateException {
        Set<String> fields = new HashSet<>(List.of("cycleStart", "cycleEnd", "override", "override.bytes", "override.by",
                "override.granted", "override.expires"));
        for (QuotaKind kind : QuotaKind.values()) {
            fields.addAll(List.of("used." + kind.label(), "baseline." + kind.label(), "warned." + kind.label()));
        }
        StateDocument doc = StateDocument.read(NAME, bytes, FORMAT, fields);
        Instant start = doc.instant("cycleStart");
        Instant end = doc.instant("cycleEnd");
        if (!end.isAfter(start)) {
            throw doc.refuse("cycleEnd", "is not after cycleStart: '" + end + "'");
        }
        Map<QuotaKind, Long> used = new EnumMap<>(QuotaKind.class);
        Map<QuotaKind, OptionalLong> baseline = new EnumMap<>(QuotaKind.class);
        Map<QuotaKind, List<Integer>> warned = new EnumMap<>(QuotaKind.class);
        for (QuotaKind kind : QuotaKind.values()) {
            used.put(kind, doc.count("used." + kind.label()));
            String base = doc.present("baseline." + kind.label());
            baseline.put(kind, base.isEmpty() ? OptionalLong.empty() : OptionalLong.of(doc.count("baseline." + kind.label())));
            warned.put(kind, thresholds(doc, "warned." + kind.label()));
        }
        return new Content(start, end, used, baseline, warned, override(doc));
    }

    private static List<Integer> thresholds(StateDocument doc, String field) throws MalformedStateException {
        String text = doc.present(field);
        List<Integer> result = new ArrayList<>();
        if (text.isEmpty()) {
            return result;
        }
        for (String part : text.split(",", -1)) {
            int percent;
            try {
                percent = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw doc.refuse(field, "is not a list of percentages: '" + text + "'");
            }
            if (percent < 1 || percent > 100 || (!result.isEmpty() && percent <= result.get(result.size() - 1))) {
                throw doc.refuse(field, "is not an ascending list of percentages 1 to 100: '" + text + "'");
            }
            result.add(percent);
        }
        return result;
    }

    private static Optional<QuotaOverride> override(StateDocument doc) throws MalformedStateException {
        String kind = doc.required("override");
        OptionalLong extra;
        switch (kind) {
            case "none" -> {
                return Optional.empty();
            }
            case "cycle" -> extra = OptionalLong.empty();
            case "bytes" -> {
                long n = doc.count("override.bytes");
                if (n == 0 || n > QuotaPolicy.MAX_LIMIT) {
                    throw doc.refuse("override.bytes", "is not 1 to " + QuotaPolicy.MAX_LIMIT
                            + ": '" + n + "'");
                }
                extra = OptionalLong.of(n);
            }
            default -> throw doc.refuse("override", "is '" + kind + "': expected none, cycle or bytes");
        }
        return Optional.of(new QuotaOverride(extra, doc.present("override.by"), doc.instant("override.granted"),
                doc.instant("override.expires")));
    }
}
