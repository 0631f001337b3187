package io.sitegate.cellular;

import java.util.Locale;

/** What happens when a quota's limit is reached. */
public enum QuotaAction {
    /** Refuse the data session (and SMS sending) until the next cycle or an admin override. */
    BLOCK,
    /** Raise events marked {@code throttle}: a hint to whoever can slow the traffic down. */
    THROTTLE,
    /** Raise events only. */
    NOTIFY;

    /** The configuration spelling: {@code block}, {@code throttle}, {@code notify}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
