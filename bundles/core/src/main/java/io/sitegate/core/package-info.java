/**
 * Sitegate core: what every capability shares. A persistent state store for small documents that
 * must survive power loss, a health registry each capability reports to, the EventAdmin topic
 * names, strict configuration reading and the gateway's status snapshot; secrets read from owner-only
 * files ({@link io.sitegate.core.SecretStore}) and escaping of text from the network
 * ({@link io.sitegate.core.SafeText}).
 */
@Export
@Version("1.2.0")
package io.sitegate.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
