package io.sitegate.core.config;

/**
 * What the last apply of a section set, and who applied it: a later local change of one of these values is drift.
 *
 * @param source who applied it ({@code policy v12})
 * @param values the section it applied
 */
public record ConfigOwner(String source, ConfigSection values) {
}
