package io.sitegate.tunnel.internal.vici;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One packet a {@link ViciSession} sent and the answer it awaits: CMD_RESPONSE or CMD_UNKNOWN for a
 * CMD_REQUEST, EVENT_CONFIRM or EVENT_UNKNOWN for an EVENT_(UN)REGISTER (strongSwan's
 * {@code src/libcharon/plugins/vici/README.md}, "Packet layer"). For a streamed command it also
 * collects the events of the stream.
 *
 * <p>The reader thread adds to {@link #streamed} and completes {@link #answer}; the command thread reads
 * {@link #streamed} only after the answer, which the future orders after the last add.
 */
final class ViciExchange {

    private static final Set<ViciPacketType> COMMAND_ANSWERS = EnumSet.of(ViciPacketType.CMD_RESPONSE,
            ViciPacketType.CMD_UNKNOWN);
    private static final Set<ViciPacketType> EVENT_ANSWERS = EnumSet.of(ViciPacketType.EVENT_CONFIRM,
            ViciPacketType.EVENT_UNKNOWN);

    final ViciPacket request;
    final String description;
    final String streamEvent;
    final List<ViciSection> streamed = new ArrayList<>();
    final CompletableFuture<ViciPacket> answer = new CompletableFuture<>();

    private ViciExchange(ViciPacket request, String description, String streamEvent) {
        this.request = request;
        this.description = description;
        this.streamEvent = streamEvent;
    }

    /**
     * @param command a command
     * @param arguments its message
     * @param streamEvent the event whose packets belong to the answer, or null
     * @return the exchange of a CMD_REQUEST
     */
    static ViciExchange command(String command, ViciSection arguments, String streamEvent) {
        return new ViciExchange(ViciPacket.request(command, arguments), "command '" + command + "'", streamEvent);
    }

    /**
     * @param event an event name
     * @param register true for EVENT_REGISTER, false for EVENT_UNREGISTER
     * @return the exchange
     */
    static ViciExchange registration(String event, boolean register) {
        return register
                ? new ViciExchange(ViciPacket.register(event), "registration for event '" + event + "'", null)
                : new ViciExchange(ViciPacket.unregister(event), "deregistration from event '" + event + "'", null);
    }

    /** @return whether a packet of this type answers the request */
    boolean accepts(ViciPacketType type) {
        return (request.type() == ViciPacketType.CMD_REQUEST ? COMMAND_ANSWERS : EVENT_ANSWERS).contains(type);
    }

    /** @return whether an EVENT of this name is part of the answer rather than for the listeners */
    boolean collects(String event) {
        return event.equals(streamEvent);
    }
}
