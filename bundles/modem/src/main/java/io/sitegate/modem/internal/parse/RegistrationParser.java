package io.sitegate.modem.internal.parse;

import io.sitegate.modem.AccessTechnology;
import io.sitegate.modem.AccessTechnologyTable;
import io.sitegate.modem.AtCommand;
import io.sitegate.modem.AtParseException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.NetworkRegistration;
import io.sitegate.modem.NetworkRegistration.Domain;
import io.sitegate.modem.RegistrationStatus;
import io.sitegate.modem.Urc;
import io.sitegate.modem.internal.codec.Fields;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * +CREG/+CGREG/+CEREG in every {@code <n>} mode (27.007 §7.2, §10.1.20, §10.1.22). Read responses are
 * {@code <n>,<stat>[,<lac|tac>,<ci>[,<AcT>[,...]]]}; URCs drop {@code <n>}: {@code <stat>[,<lac|tac>,<ci>[,<AcT>...]]}.
 * Fields after AcT (+CGREG {@code <rac>}, +CEREG cause and PSM timers) are ignored.
 */
public final class RegistrationParser {

    private RegistrationParser() {
    }

    /** The read response of {@code AT+CREG?}, {@code AT+CGREG?} or {@code AT+CEREG?}, {@code <AcT>} read by 27.007. */
    public static NetworkRegistration readResponse(AtResponse response, Domain domain) throws AtParseException {
        return readResponse(response, domain, AccessTechnologyTable.STANDARD);
    }

    /** The read response, {@code <AcT>} read with the modem's table (e.g. BG96: 8 is LTE Cat M1). */
    public static NetworkRegistration readResponse(AtResponse response, Domain domain, AccessTechnologyTable acts)
            throws AtParseException {
        List<String> f = ReplyLines.fieldsOf(response, domain.prefix());
        String line = domain.prefix() + " " + String.join(",", f);
        ReplyLines.requireAtLeast(response, line, f, 2);
        int n = ReplyLines.integer(response, line, f.get(0), "<n>");
        return fromFields(response, line, domain, OptionalInt.of(n), f.subList(1, f.size()), acts);
    }

    /** An unsolicited {@code +CREG:}/{@code +CGREG:}/{@code +CEREG:} code, {@code <AcT>} read by 27.007. */
    public static NetworkRegistration urc(Urc urc) throws AtParseException {
        return urc(urc, AccessTechnologyTable.STANDARD);
    }

    /** An unsolicited registration code, {@code <AcT>} read with the modem's table. */
    public static NetworkRegistration urc(Urc urc, AccessTechnologyTable acts) throws AtParseException {
        Domain domain = domainOf(urc.prefix());
        AtResponse context = new AtResponse(AtCommand.of("URC " + urc.prefix(), Duration.ofSeconds(1)),
                List.of(urc.line()), null, Duration.ZERO);
        return fromFields(context, urc.line(), domain, OptionalInt.empty(), Fields.split(urc.payload()), acts);
    }

    /** The domain of a registration prefix. */
    public static Domain domainOf(String prefix) throws AtParseException {
        for (Domain d : Domain.values()) {
            if (d.prefix().equalsIgnoreCase(prefix)) {
                return d;
            }
        }
        throw new AtParseException("URC", prefix, "not a registration code");
    }

    private static NetworkRegistration fromFields(AtResponse response, String line, Domain domain, OptionalInt n,
                                                  List<String> f, AccessTechnologyTable acts) throws AtParseException {
        if (f.isEmpty() || f.get(0).isEmpty()) {
            throw ReplyLines.fail(response, line, "missing <stat>");
        }
        RegistrationStatus status;
        try {
            status = RegistrationStatus.ofCode(ReplyLines.integer(response, line, f.get(0), "<stat>"));
        } catch (IllegalArgumentException e) {
            throw ReplyLines.fail(response, line, e.getMessage());
        }
        Optional<String> area = Optional.empty();
        OptionalLong cell = OptionalLong.empty();
        Optional<AccessTechnology> act = Optional.empty();
        if (f.size() >= 3) {
            area = hex(response, line, f.get(1), "area code").map(v -> v.toUpperCase(Locale.ROOT));
            Optional<String> ci = hex(response, line, f.get(2), "<ci>");
            if (ci.isPresent()) {
                cell = OptionalLong.of(Long.parseLong(ci.get(), 16));
            }
        } else if (f.size() == 2) {
            throw ReplyLines.fail(response, line, "area code without cell id");
        }
        if (f.size() >= 4 && !f.get(3).isEmpty()) {
            int code = ReplyLines.integer(response, line, f.get(3), "<AcT>");
            act = acts.ofCode(code);
            if (act.isEmpty()) {
                throw ReplyLines.fail(response, line, "unknown <AcT> " + code);
            }
        }
        return new NetworkRegistration(domain, n, status, area, cell, act);
    }

    private static Optional<String> hex(AtResponse response, String line, String field, String name)
            throws AtParseException {
        String value = Fields.unquote(field);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.matches("[0-9A-Fa-f]{1,15}")) {
            throw ReplyLines.fail(response, line, name + " '" + field + "' is not hex");
        }
        return Optional.of(value);
    }
}
