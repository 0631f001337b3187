package io.sitegate.cellular;

/** The quotas of a billing cycle. */
public enum QuotaKind {
    /** Bytes up and down through the data session. */
    DATA("data", "bytes"),
    /** SMS sent by the gateway (mobile originated). */
    SMS_MO("sms-mo", "SMS sent"),
    /** SMS received by the gateway (mobile terminated). */
    SMS_MT("sms-mt", "SMS received");

    private final String label;
    private final String unit;

    QuotaKind(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    /** The stable name used in events, documents and the shell: {@code data}, {@code sms-mo}, {@code sms-mt}. */
    public String label() {
        return label;
    }

    /** What is counted, in words. */
    public String unit() {
        return unit;
    }
}
