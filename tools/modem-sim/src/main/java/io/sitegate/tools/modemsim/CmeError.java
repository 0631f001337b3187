package io.sitegate.tools.modemsim;

import java.util.Map;

/**
 * Mobile equipment error codes of 3GPP TS 27.007 §9.2 with their verbose texts, as reported by
 * {@code +CME ERROR:} in numeric ({@code AT+CMEE=1}) or verbose ({@code AT+CMEE=2}) mode.
 */
public final class CmeError {

    public static final int PHONE_FAILURE = 0;
    public static final int OPERATION_NOT_ALLOWED = 3;
    public static final int OPERATION_NOT_SUPPORTED = 4;
    public static final int SIM_NOT_INSERTED = 10;
    public static final int SIM_PIN_REQUIRED = 11;
    public static final int SIM_PUK_REQUIRED = 12;
    public static final int SIM_FAILURE = 13;
    public static final int INCORRECT_PASSWORD = 16;
    public static final int INVALID_INDEX = 21;
    public static final int NO_NETWORK_SERVICE = 30;
    public static final int INCORRECT_PARAMETERS = 50;
    /** GMM/ESM cause #33 mapped by 27.007 §9.2.2: the subscription does not cover the requested APN. */
    public static final int SERVICE_OPTION_NOT_SUBSCRIBED = 133;
    /** Quectel TCP/IP error range (550..): invalid parameters. */
    public static final int QUECTEL_INVALID_PARAMETERS = 552;

    private static final Map<Integer, String> TEXTS = Map.ofEntries(
            Map.entry(PHONE_FAILURE, "phone failure"),
            Map.entry(OPERATION_NOT_ALLOWED, "operation not allowed"),
            Map.entry(OPERATION_NOT_SUPPORTED, "operation not supported"),
            Map.entry(SIM_NOT_INSERTED, "SIM not inserted"),
            Map.entry(SIM_PIN_REQUIRED, "SIM PIN required"),
            Map.entry(SIM_PUK_REQUIRED, "SIM PUK required"),
            Map.entry(SIM_FAILURE, "SIM failure"),
            Map.entry(14, "SIM busy"),
            Map.entry(INCORRECT_PASSWORD, "incorrect password"),
            Map.entry(20, "memory full"),
            Map.entry(INVALID_INDEX, "invalid index"),
            Map.entry(22, "not found"),
            Map.entry(NO_NETWORK_SERVICE, "no network service"),
            Map.entry(31, "network timeout"),
            Map.entry(INCORRECT_PARAMETERS, "incorrect parameters"),
            Map.entry(100, "unknown"),
            Map.entry(132, "service option not supported"),
            Map.entry(SERVICE_OPTION_NOT_SUBSCRIBED, "requested service option not subscribed"),
            Map.entry(134, "service option temporarily out of order"),
            Map.entry(148, "unspecified GPRS error"),
            Map.entry(149, "PDP authentication failure"),
            Map.entry(QUECTEL_INVALID_PARAMETERS, "invalid parameters"));

    private CmeError() {
    }

    /** @return the verbose text of a code, or {@code "unknown"} for codes without one */
    public static String text(int code) {
        return TEXTS.getOrDefault(code, "unknown");
    }

    /** @return the final result line for the code under the given {@code +CMEE} mode */
    public static String render(int code, int cmeeMode) {
        return switch (cmeeMode) {
            case 1 -> "+CME ERROR: " + code;
            case 2 -> "+CME ERROR: " + text(code);
            default -> "ERROR";
        };
    }
}
