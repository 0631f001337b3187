package io.sitegate.filter.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A time-limited way in: from one source prefix, to one LAN host and TCP port (or the gateway's own SSH), through
 * the tunnels (the default) or the WAN, until it expires. The kernel holds it as a set element with a timeout, so it
 * closes on time even if the gateway's software does not run; the expiry is persisted, so a restart puts back exactly
 * the time left.
 *
 * @param id      short id for {@code access-close}
 * @param from    the source prefix
 * @param to      the LAN host, or null for the gateway itself ({@code ssh})
 * @param port    the TCP port
 * @param via     {@link Via#TUNNEL} or {@link Via#WAN}
 * @param opened  when it was opened
 * @param expires when it closes
 * @param by      who opened it (an operator, or a policy)
 */
record AccessWindow(String id, Cidr from, InetAddress to, int port, Via via, Instant opened, Instant expires, String by) {

    enum Via {
        TUNNEL, WAN;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    boolean gateway() {
        return to == null;
    }

    Duration left(Instant now) {
        Duration d = Duration.between(now, expires);
        return d.isNegative() ? Duration.ZERO : d;
    }

    String target() {
        return (gateway() ? "the gateway's SSH" : to.getHostAddress()) + ":" + port;
    }

    /** The nft set it belongs to. */
    String set() {
        return "access_" + (gateway() ? "gw" : "lan") + "_" + via.text() + "_" + (from.v6() ? "v6" : "v4");
    }

    /** The set element: {@code from . to . port} (LAN) or {@code from . port} (the gateway). */
    String element() {
        return from + " . " + (gateway() ? "" : to.getHostAddress().replaceAll("%.*$", "") + " . ") + port;
    }

    @Override
    public String toString() {
        return id + ": from " + from + " to " + target() + " via " + via.text() + " until " + expires + " (by " + by + ")";
    }
}
