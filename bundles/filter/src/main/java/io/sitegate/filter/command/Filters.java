package io.sitegate.filter.command;

import io.sitegate.filter.internal.FilterComponent;

final class Filters {
    private Filters() {
    }

    static FilterComponent require(FilterComponent filter) {
        if (filter == null) {
            throw new IllegalStateException("The outbound filter is not running: etc/io.sitegate.filter.cfg is missing or was refused "
                    + "(sitegate:status shows why).");
        }
        return filter;
    }
}
