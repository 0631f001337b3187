package io.sitegate.core.config;

/**
 * A value that an applied section set and that was then changed locally ({@code .cfg} file,
 * {@code config:edit}).
 *
 * @param section     the section
 * @param pid         the configuration
 * @param property    the property
 * @param applied     the value the apply set (empty: the default)
 * @param local       the value ConfigAdmin holds now (empty: the default; {@code (deleted)} when the
 *                    whole configuration was deleted)
 * @param source      who applied it ({@code policy v12})
 */
public record ConfigDrift(String section, String pid, String property, String applied, String local, String source) {
    @Override
    public String toString() {
        return pid + " " + property + ": " + source + " set " + show(applied) + ", now " + show(local) + " (changed locally)";
    }

    private static String show(String v) {
        return v.isEmpty() ? "(default)" : "'" + v + "'";
    }
}
