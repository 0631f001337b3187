package io.sitegate.tunnel.internal.vici;

import java.util.Objects;
import java.util.Optional;

/**
 * One VICI packet: a type, a name for the named types, a message for the types that carry one.
 * Immutable; the factories make only the shapes strongSwan's README defines.
 */
public final class ViciPacket {

    private final ViciPacketType type;
    private final String name;
    private final ViciSection message;

    private ViciPacket(ViciPacketType type, String name, ViciSection message) {
        this.type = type;
        this.name = name;
        this.message = message;
    }

    /**
     * Makes a packet of any type.
     *
     * @param type the type
     * @param name the name: required for named types, must be null for the others
     * @param message the message: may be null (empty) for types that carry one, must be null or empty
     *        for the others
     * @return the packet
     * @throws IllegalArgumentException if the name or message does not fit the type, or the name is not
     *         a valid VICI name
     */
    public static ViciPacket of(ViciPacketType type, String name, ViciSection message) {
        Objects.requireNonNull(type, "type");
        if (type.isNamed()) {
            ViciLimits.checkName(name, type + " name");
        } else if (name != null) {
            throw new IllegalArgumentException(type + " packets carry no name, got '" + name + "'");
        }
        if (!type.carriesMessage() && message != null && !message.isEmpty()) {
            throw new IllegalArgumentException(type + " packets carry no message");
        }
        return new ViciPacket(type, name, message == null ? ViciSection.EMPTY : message);
    }

    /**
     * @param command the command, e.g. "version"
     * @param arguments the request message
     * @return a CMD_REQUEST
     */
    public static ViciPacket request(String command, ViciSection arguments) {
        return of(ViciPacketType.CMD_REQUEST, command, arguments);
    }

    /**
     * @param reply the response message
     * @return a CMD_RESPONSE
     */
    public static ViciPacket response(ViciSection reply) {
        return of(ViciPacketType.CMD_RESPONSE, null, reply);
    }

    /**
     * @param event the event name, e.g. "ike-updown"
     * @return an EVENT_REGISTER
     */
    public static ViciPacket register(String event) {
        return of(ViciPacketType.EVENT_REGISTER, event, null);
    }

    /**
     * @param event the event name
     * @return an EVENT_UNREGISTER
     */
    public static ViciPacket unregister(String event) {
        return of(ViciPacketType.EVENT_UNREGISTER, event, null);
    }

    /**
     * @param event the event name
     * @param message the event's message
     * @return an EVENT
     */
    public static ViciPacket event(String event, ViciSection message) {
        return of(ViciPacketType.EVENT, event, message);
    }

    /** @return the type */
    public ViciPacketType type() {
        return type;
    }

    /** @return the name, present exactly for the named types */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** @return the message; empty for types that carry none */
    public ViciSection message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ViciPacket p && type == p.type && Objects.equals(name, p.name)
                && message.equals(p.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, message);
    }

    @Override
    public String toString() {
        return type + (name == null ? "" : " " + name) + (type.carriesMessage() ? " " + message : "");
    }
}
