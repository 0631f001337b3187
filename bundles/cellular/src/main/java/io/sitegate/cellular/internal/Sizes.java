package io.sitegate.cellular.internal;

import java.util.Locale;

/** Byte counts for people: decimal units, as operators bill and as {@code quota.data.bytes} reads them. */
final class Sizes {
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    private Sizes() {
    }

    /** {@code 512 B}, {@code 1.50 MB}, {@code 2.00 GB}. */
    static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, UNITS[unit]);
    }
}
