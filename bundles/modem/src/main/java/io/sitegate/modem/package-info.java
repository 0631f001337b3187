/**
 * Sitegate modem API: the AT command engine of a cellular modem. An {@link io.sitegate.modem.AtTransport}
 * moves bytes (serial port or ser2net-style TCP), an {@link io.sitegate.modem.AtChannel} serialises
 * commands over it and dispatches unsolicited result codes, {@link io.sitegate.modem.ModemProfile}s describe
 * vendor differences as data, and the value types here are what the reply parsers produce.
 */
@Export
@Version("1.2.0")
package io.sitegate.modem;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
