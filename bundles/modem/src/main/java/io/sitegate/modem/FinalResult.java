package io.sitegate.modem;

import java.util.Optional;

/**
 * The final result code that ends a command's response.
 *
 * @param kind which final result it was
 * @param line the line as received
 * @param errorDetail the CME/CMS error for {@link Kind#CME_ERROR} and {@link Kind#CMS_ERROR}, otherwise null
 */
public record FinalResult(Kind kind, String line, AtError errorDetail) {

    /** The final result codes of V.250 and 27.007/27.005. */
    public enum Kind {
        /** Success. */ OK,
        /** Data connection established (success for dial commands). */ CONNECT,
        /** Generic failure. */ ERROR,
        /** 27.007 §9.2 mobile equipment error. */ CME_ERROR,
        /** 27.005 §3.2.5 message service error. */ CMS_ERROR,
        /** Connection lost or not established. */ NO_CARRIER,
        /** No dial tone. */ NO_DIALTONE,
        /** Busy. */ BUSY,
        /** No answer. */ NO_ANSWER
    }

    /** Whether the command succeeded ({@code OK} or {@code CONNECT}). */
    public boolean isSuccess() {
        return kind == Kind.OK || kind == Kind.CONNECT;
    }

    /** The CME/CMS error, when present. */
    public Optional<AtError> error() {
        return Optional.ofNullable(errorDetail);
    }

    /** A readable form, e.g. {@code OK} or {@code CME 11 (SIM PIN required)}. */
    public String describe() {
        return errorDetail != null ? errorDetail.describe() : kind.name().replace('_', ' ');
    }
}
