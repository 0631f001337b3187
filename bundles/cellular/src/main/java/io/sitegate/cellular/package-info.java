/**
 * Sitegate cellular service policy: the SIM/device binding (IMEI lock), the radio and network policy,
 * custom DNS and the monthly data and SMS quotas, enforced on the gateway itself in front of the
 * modem's data session. The types here are immutable values: the policy as configured
 * ({@link io.sitegate.cellular.CellularPolicy}), what the binding learned, what a check saw, and the
 * state of the quota ledger for display.
 */
@Export
@Version("2.0.0")
package io.sitegate.cellular;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
