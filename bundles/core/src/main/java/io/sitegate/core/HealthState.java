package io.sitegate.core;

/** How well a capability works, as a site technician needs to know it. */
public enum HealthState {
    /** Working as configured. */
    UP,
    /** Working, but with a fallback or a reduced service (for example a backup upstream). */
    DEGRADED,
    /** Not providing its service; the reason says why. */
    DOWN
}
