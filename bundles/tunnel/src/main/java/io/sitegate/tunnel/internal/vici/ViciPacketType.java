package io.sitegate.tunnel.internal.vici;

import java.util.Optional;

/**
 * The VICI packet types: the first byte of a transport segment. Numbers and shapes from strongSwan's
 * {@code src/libcharon/plugins/vici/README.md} ("Packet layer") and {@code python/vici/protocol.py}.
 */
public enum ViciPacketType {
    /** A named request message (client to daemon). */
    CMD_REQUEST(0, true, true),
    /** An unnamed response message for a request. */
    CMD_RESPONSE(1, false, true),
    /** An unnamed response if the requested command is unknown. */
    CMD_UNKNOWN(2, false, false),
    /** A named event registration request. */
    EVENT_REGISTER(3, true, false),
    /** A named event deregistration request. */
    EVENT_UNREGISTER(4, true, false),
    /** An unnamed response for a successful event (de-)registration. */
    EVENT_CONFIRM(5, false, false),
    /** An unnamed response if event (de-)registration failed. */
    EVENT_UNKNOWN(6, false, false),
    /** A named event message. */
    EVENT(7, true, true);

    private static final ViciPacketType[] BY_CODE = values();

    private final int code;
    private final boolean named;
    private final boolean carriesMessage;

    ViciPacketType(int code, boolean named, boolean carriesMessage) {
        this.code = code;
        this.named = named;
        this.carriesMessage = carriesMessage;
    }

    /** @return the type's byte on the wire */
    public int code() {
        return code;
    }

    /** @return whether an 8-bit length and a name follow the type byte */
    public boolean isNamed() {
        return named;
    }

    /** @return whether a message follows (the type byte and the name, if any) */
    public boolean carriesMessage() {
        return carriesMessage;
    }

    /**
     * @param code a type byte, 0-255
     * @return its type, empty if VICI defines none
     */
    public static Optional<ViciPacketType> fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }
}
