package io.sitegate.tunnel.command;

import io.sitegate.tunnel.TunnelService;
import java.time.Duration;
import java.util.Locale;

/** How the tunnel commands write values for a technician. */
final class TunnelText {
    static final String NOT_RUNNING = "The tunnel supervisor is not running (feature sitegate-tunnel not installed, or its "
            + "bundle stopped). sitegate:status shows why.";

    private TunnelText() {
    }

    static TunnelService require(TunnelService service) {
        if (service == null) {
            throw new IllegalStateException(NOT_RUNNING);
        }
        return service;
    }

    /** Bytes as B, KiB, MiB or GiB with one decimal; {@code -} for an unknown (negative) value. */
    static String bytes(long b) {
        if (b < 0) {
            return "-";
        }
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A duration as {@code 3d 4h}, {@code 2h 5m}, {@code 4m 10s} or {@code 12s}; {@code -} for zero. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s <= 0) {
            return "-";
        }
        if (s >= 86_400) {
            return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }
}
