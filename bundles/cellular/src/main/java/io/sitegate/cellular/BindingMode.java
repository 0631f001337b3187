package io.sitegate.cellular;

import java.util.Locale;

/** How the SIM/device binding (IMEI lock) is enforced. */
public enum BindingMode {
    /** No binding: any SIM in any modem may open a data session. */
    OFF,
    /** The first IMEI/ICCID pair that opens a data session is learned, then enforced. */
    AUTO,
    /** Only the IMEI/ICCID pairs given by configuration or policy are accepted. */
    MANUAL;

    /** The configuration spelling: {@code off}, {@code auto}, {@code manual}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the binding is enforced at all (fail closed applies). */
    public boolean enforced() {
        return this != OFF;
    }
}
