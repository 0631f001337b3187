package io.sitegate.core;

/** Told about every change of a capability's health, in the order the changes happened. */
@FunctionalInterface
public interface HealthListener {
    /**
     * @param previous the health before, or {@code null} when the capability was not known
     * @param current  the health now, or {@code null} when the capability withdrew (its bundle stopped)
     */
    void healthChanged(Health previous, Health current);
}
