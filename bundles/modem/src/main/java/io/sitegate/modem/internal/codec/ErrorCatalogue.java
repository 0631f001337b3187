package io.sitegate.modem.internal.codec;

import java.util.Map;

/**
 * Readable texts for numeric CME (3GPP TS 27.007 §9.2.1, §9.2.2) and CMS (3GPP TS 27.005 §3.2.5) errors.
 * Only codes a gateway meets in practice are listed; others read "unknown error".
 */
public final class ErrorCatalogue {

    private static final Map<Integer, String> CME = Map.ofEntries(
            Map.entry(0, "phone failure"),
            Map.entry(1, "no connection to phone"),
            Map.entry(3, "operation not allowed"),
            Map.entry(4, "operation not supported"),
            Map.entry(5, "PH-SIM PIN required"),
            Map.entry(10, "SIM not inserted"),
            Map.entry(11, "SIM PIN required"),
            Map.entry(12, "SIM PUK required"),
            Map.entry(13, "SIM failure"),
            Map.entry(14, "SIM busy"),
            Map.entry(15, "SIM wrong"),
            Map.entry(16, "incorrect password"),
            Map.entry(17, "SIM PIN2 required"),
            Map.entry(18, "SIM PUK2 required"),
            Map.entry(20, "memory full"),
            Map.entry(21, "invalid index"),
            Map.entry(22, "not found"),
            Map.entry(23, "memory failure"),
            Map.entry(24, "text string too long"),
            Map.entry(25, "invalid characters in text string"),
            Map.entry(26, "dial string too long"),
            Map.entry(27, "invalid characters in dial string"),
            Map.entry(30, "no network service"),
            Map.entry(31, "network timeout"),
            Map.entry(32, "network not allowed - emergency calls only"),
            Map.entry(40, "network personalization PIN required"),
            Map.entry(50, "incorrect parameters"),
            Map.entry(100, "unknown"),
            Map.entry(103, "illegal MS"),
            Map.entry(106, "illegal ME"),
            Map.entry(107, "GPRS services not allowed"),
            Map.entry(111, "PLMN not allowed"),
            Map.entry(112, "location area not allowed"),
            Map.entry(113, "roaming not allowed in this location area"),
            Map.entry(132, "service option not supported"),
            Map.entry(133, "requested service option not subscribed"),
            Map.entry(134, "service option temporarily out of order"),
            Map.entry(148, "unspecified GPRS error"),
            Map.entry(149, "PDP authentication failure"),
            Map.entry(150, "invalid mobile class"));

    private static final Map<Integer, String> CMS = Map.ofEntries(
            Map.entry(300, "ME failure"),
            Map.entry(301, "SMS service of ME reserved"),
            Map.entry(302, "operation not allowed"),
            Map.entry(303, "operation not supported"),
            Map.entry(304, "invalid PDU mode parameter"),
            Map.entry(305, "invalid text mode parameter"),
            Map.entry(310, "(U)SIM not inserted"),
            Map.entry(311, "(U)SIM PIN required"),
            Map.entry(312, "PH-(U)SIM PIN required"),
            Map.entry(313, "(U)SIM failure"),
            Map.entry(314, "(U)SIM busy"),
            Map.entry(315, "(U)SIM wrong"),
            Map.entry(316, "(U)SIM PUK required"),
            Map.entry(320, "memory failure"),
            Map.entry(321, "invalid memory index"),
            Map.entry(322, "memory full"),
            Map.entry(330, "SMSC address unknown"),
            Map.entry(331, "no network service"),
            Map.entry(332, "network timeout"),
            Map.entry(340, "no +CNMA acknowledgement expected"),
            Map.entry(500, "unknown error"));

    private ErrorCatalogue() {
    }

    /** The text of a CME error code. */
    public static String cme(int code) {
        return CME.getOrDefault(code, "unknown error");
    }

    /** The text of a CMS error code; 0..127 are network causes of 3GPP TS 24.011, 128..255 TP causes of TS 23.040. */
    public static String cms(int code) {
        String text = CMS.get(code);
        if (text != null) {
            return text;
        }
        if (code >= 0 && code <= 127) {
            return "network cause " + code + " (3GPP TS 24.011 E.2)";
        }
        if (code >= 128 && code <= 255) {
            return "TP failure cause " + code + " (3GPP TS 23.040 9.2.3.22)";
        }
        return "unknown error";
    }

    /** The CME code of a verbose text ({@code AT+CMEE=2}), or -1. */
    public static int cmeCodeOf(String text) {
        return codeOf(CME, text);
    }

    /** The CMS code of a verbose text, or -1. */
    public static int cmsCodeOf(String text) {
        return codeOf(CMS, text);
    }

    private static int codeOf(Map<Integer, String> table, String text) {
        for (Map.Entry<Integer, String> e : table.entrySet()) {
            if (e.getValue().equalsIgnoreCase(text.trim())) {
                return e.getKey();
            }
        }
        return -1;
    }
}
