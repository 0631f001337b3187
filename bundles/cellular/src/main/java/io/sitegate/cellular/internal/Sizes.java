package io.sitegate.cellular.internal;

import io.sitegate.cellular.DataSize;

/** Byte counts for people: decimal units, as operators bill and as {@code quota.data.bytes} reads them. */
final class Sizes {

    private Sizes() {
    }

    /** {@code 512 B}, {@code 1.50 MB}, {@code 2.00 GB}. */
    static String human(long bytes) {
        return DataSize.format(bytes);
    }
}
