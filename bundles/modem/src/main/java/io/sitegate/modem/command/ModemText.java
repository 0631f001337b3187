package io.sitegate.modem.command;

import io.sitegate.core.SafeText;
import io.sitegate.modem.DataUsage;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.SignalQuality;

/** How modem values read on the shell. */
final class ModemText {
    private ModemText() {
    }

    /** Text from the modem or the network, made safe for a terminal (see {@link SafeText}). */
    static String safe(Object value) {
        return SafeText.escape(String.valueOf(value));
    }

    static String network(ModemStatus s) {
        if (s.registration().isEmpty()) {
            return "-";
        }
        var r = s.registration().get();
        return r.status().name().toLowerCase().replace('_', ' ')
                + s.plmn().map(p -> " " + safe(p)).orElse("")
                + r.accessTechnology().map(a -> " " + a).orElse("");
    }

    static String signal(SignalQuality q) {
        StringBuilder b = new StringBuilder();
        q.rssiDbm().ifPresent(v -> b.append("RSSI ").append(v).append(" dBm "));
        q.rsrpDbm().ifPresent(v -> b.append("RSRP ").append(v).append(" dBm "));
        q.rsrqDb().ifPresent(v -> b.append("RSRQ ").append(v).append(" dB "));
        q.sinrDb().ifPresent(v -> b.append("SINR ").append(v).append(" dB"));
        return b.length() == 0 ? "-" : b.toString().trim();
    }

    static String usage(DataUsage u) {
        if (!u.countersAvailable()) {
            return "not available on this modem";
        }
        return "session " + bytes(u.sessionSent()) + " up / " + bytes(u.sessionReceived()) + " down; total "
                + bytes(u.totalSent()) + " up / " + bytes(u.totalReceived()) + " down";
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format("%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format("%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
