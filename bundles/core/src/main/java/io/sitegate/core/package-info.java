/**
 * Sitegate core: what every capability shares. A persistent state store for small documents that
 * must survive power loss, a health registry each capability reports to, the EventAdmin topic
 * names, strict configuration reading and the gateway's status snapshot.
 */
@Export
@Version("1.0.0")
package io.sitegate.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
