package io.sitegate.modem.internal.codec;

import io.sitegate.modem.AtError;
import io.sitegate.modem.FinalResult;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** Pure codec: recognises the final result codes that end a command's response. */
public final class FinalResultCodes {

    private FinalResultCodes() {
    }

    /** The final result this line is, or empty for information lines and URCs. */
    public static Optional<FinalResult> parse(String line) {
        String l = line.strip();
        String upper = l.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "OK":
                return Optional.of(new FinalResult(FinalResult.Kind.OK, l, null));
            case "ERROR":
                return Optional.of(new FinalResult(FinalResult.Kind.ERROR, l, null));
            case "NO CARRIER":
                return Optional.of(new FinalResult(FinalResult.Kind.NO_CARRIER, l, null));
            case "NO DIALTONE":
                return Optional.of(new FinalResult(FinalResult.Kind.NO_DIALTONE, l, null));
            case "BUSY":
                return Optional.of(new FinalResult(FinalResult.Kind.BUSY, l, null));
            case "NO ANSWER":
                return Optional.of(new FinalResult(FinalResult.Kind.NO_ANSWER, l, null));
            default:
                break;
        }
        if (upper.equals("CONNECT") || upper.startsWith("CONNECT ")) {
            return Optional.of(new FinalResult(FinalResult.Kind.CONNECT, l, null));
        }
        if (upper.startsWith("+CME ERROR:")) {
            return Optional.of(new FinalResult(FinalResult.Kind.CME_ERROR, l,
                    error(AtError.Kind.CME, l.substring(11).trim())));
        }
        if (upper.startsWith("+CMS ERROR:")) {
            return Optional.of(new FinalResult(FinalResult.Kind.CMS_ERROR, l,
                    error(AtError.Kind.CMS, l.substring(11).trim())));
        }
        return Optional.empty();
    }

    private static AtError error(AtError.Kind kind, String value) {
        if (value.matches("\\d{1,5}")) {
            int code = Integer.parseInt(value);
            String text = kind == AtError.Kind.CME ? ErrorCatalogue.cme(code) : ErrorCatalogue.cms(code);
            return new AtError(kind, OptionalInt.of(code), text);
        }
        int code = kind == AtError.Kind.CME ? ErrorCatalogue.cmeCodeOf(value) : ErrorCatalogue.cmsCodeOf(value);
        return new AtError(kind, code >= 0 ? OptionalInt.of(code) : OptionalInt.empty(),
                value.isEmpty() ? "unknown error" : value);
    }
}
