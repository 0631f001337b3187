package io.sitegate.core.config;

/**
 * One difference between the configuration in force and a proposed one.
 *
 * @param pid      the configuration
 * @param property the property, or empty when the whole configuration is added or removed
 * @param text     the change in words ({@code networks.allowed: added 26202; removed 26201})
 */
public record ConfigChange(String pid, String property, String text) {
    @Override
    public String toString() {
        return text;
    }
}
