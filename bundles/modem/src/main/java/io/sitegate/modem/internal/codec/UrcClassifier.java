package io.sitegate.modem.internal.codec;

import io.sitegate.modem.AtCommand;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure codec: decides whether a non-final line is an unsolicited result code or part of the current
 * command's response.
 *
 * <p>The rules, in order:
 * <ol>
 * <li>Bare words that are always unsolicited ({@code RDY}, {@code RING}, {@code POWERED DOWN}, ...) and vendor
 *     prefixes of the profile are URCs unless the command expects exactly that prefix.</li>
 * <li>A line {@code +XYZ: ...} is a response line only when the current command expects {@code +XYZ:}
 *     (its own name: {@code AT+CREG?} expects {@code +CREG:}); any other prefixed line, and any prefixed line
 *     while no command runs, is a URC - also prefixes nobody knows.</li>
 * <li>Registration codes are ambiguous: {@code +CREG: 0,1} answers {@code AT+CREG?} but {@code +CREG: 1} is a
 *     URC. The read response always starts with two unquoted integers {@code <n>,<stat>}; the URC starts with
 *     {@code <stat>} followed by nothing, or by a quoted {@code <lac>}/{@code <tac>} or an empty field. So
 *     with the expected prefix, a registration line is a response only if the command is a read and its second
 *     field is an unquoted integer. (A URC {@code +CREG: 1,"00C3",...} therefore never passes for a response;
 *     a response from a modem that quotes {@code <stat>} would pass for a URC - no vendor we know does.)</li>
 * <li>Lines without such a prefix are response lines while a command runs (IMEI digits, ATI text).</li>
 * </ol>
 */
public final class UrcClassifier {

    /** The URC found: its prefix and whether a second line (SMS text or PDU) belongs to it. */
    public record UrcMatch(String prefix, boolean needsSecondLine) {
    }

    /** Codes without a colon that modems send unsolicited. */
    public static final List<String> BARE_URCS = List.of(
            "RDY", "RING", "POWERED DOWN", "NORMAL POWER DOWN", "SMS DONE", "PB DONE", "SMS READY",
            "CALL READY", "+PACSP0", "+PACSP1", "*ATREADY: 1");

    private static final Set<String> REGISTRATION = Set.of("+CREG:", "+CGREG:", "+CEREG:", "+C5GREG:");
    private static final Pattern PREFIX = Pattern.compile("^([+^$#%*][A-Za-z0-9_]+):");

    private final List<String> vendorPrefixes;

    /** @param vendorPrefixes the profile's URC prefixes, e.g. {@code +QIND:} or {@code ^SYSSTART} */
    public UrcClassifier(Set<String> vendorPrefixes) {
        this.vendorPrefixes = vendorPrefixes.stream().map(p -> p.toUpperCase(Locale.ROOT)).toList();
    }

    /**
     * Classifies one non-final line.
     *
     * @param line the line, not a final result code
     * @param current the command whose response is being collected, or null
     * @return the URC match, or empty when the line belongs to the command's response (or is noise when no command runs)
     */
    public Optional<UrcMatch> classify(String line, AtCommand current) {
        String upper = line.toUpperCase(Locale.ROOT);
        String expected = current == null || current.responsePrefix() == null
                ? null : current.responsePrefix().toUpperCase(Locale.ROOT);
        for (String bare : BARE_URCS) {
            if (upper.equals(bare)) {
                return Optional.of(new UrcMatch(bare, false));
            }
        }
        for (String vendor : vendorPrefixes) {
            if (upper.startsWith(vendor) && !vendor.equals(expected)) {
                return Optional.of(new UrcMatch(vendor, needsSecondLine(vendor, line)));
            }
        }
        Matcher m = PREFIX.matcher(upper);
        if (!m.find()) {
            return Optional.empty();
        }
        String prefix = m.group(1) + ":";
        if (prefix.equals(expected) && !(REGISTRATION.contains(prefix) && !isRegistrationReadResponse(line, current))) {
            return Optional.empty();
        }
        return Optional.of(new UrcMatch(prefix, needsSecondLine(prefix, line)));
    }

    private static boolean isRegistrationReadResponse(String line, AtCommand current) {
        if (!current.isRead()) {
            return false;
        }
        List<String> fields = Fields.split(line.substring(line.indexOf(':') + 1));
        return fields.size() >= 2 && Fields.isInteger(fields.get(0)) && Fields.isInteger(fields.get(1));
    }

    /** {@code +CMT:} and {@code +CBM:} always carry a second line; {@code +CDS:} does in PDU mode ({@code +CDS: <length>}). */
    private static boolean needsSecondLine(String prefix, String line) {
        if (prefix.equals("+CMT:") || prefix.equals("+CBM:")) {
            return true;
        }
        if (prefix.equals("+CDS:")) {
            List<String> fields = Fields.split(line.substring(prefix.length()));
            return fields.size() == 1 && Fields.isInteger(fields.get(0));
        }
        return false;
    }
}
