package io.sitegate.tools.modemsim;

/** The Luhn check digit that completes a 14-digit IMEI body (3GPP TS 23.003 §6.2.1). */
public final class ImeiCheckDigit {

    private ImeiCheckDigit() {
    }

    /** @return the 15-digit IMEI made of the 14-digit body and its check digit */
    public static String complete(String body14) {
        if (!body14.matches("\\d{14}")) {
            throw new IllegalArgumentException("IMEI body must be 14 digits: " + body14);
        }
        return body14 + compute(body14);
    }

    /** @return true when a 15-digit IMEI carries a correct check digit */
    public static boolean isValid(String imei) {
        return imei != null && imei.matches("\\d{15}")
                && compute(imei.substring(0, 14)) == imei.charAt(14) - '0';
    }

    private static int compute(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int d = body.charAt(i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }
}
