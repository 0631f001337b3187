package io.sitegate.tunnel.internal.vici;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * charon understood the request and said no: the command is unknown (CMD_UNKNOWN), the event is unknown
 * (EVENT_UNKNOWN), or the response carries {@code success = no} with charon's {@code errmsg}. These are
 * the {@code CommandException} and {@code EventUnknownException} of strongSwan's
 * {@code src/libcharon/plugins/vici/python/vici/session.py}.
 *
 * <p>Unlike the other {@link IOException}s of a {@link ViciSession}, this one leaves the session open and
 * in step: the answer was read whole, the next command may follow.
 */
public final class ViciCommandException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String command;
    private final String errmsg;
    private final transient List<ViciSection> streamed;

    private ViciCommandException(String message, String command, String errmsg) {
        this(message, command, errmsg, List.of());
    }

    private ViciCommandException(String message, String command, String errmsg, List<ViciSection> streamed) {
        super(message);
        this.command = command;
        this.errmsg = errmsg;
        this.streamed = List.copyOf(streamed);
    }

    /**
     * The same failure with the events the streamed command collected before its response. charon's answer to a
     * failed {@code initiate} says only "establishing CHILD_SA 'x' failed"; the reason ("received
     * AUTHENTICATION_FAILED notify error") is in its {@code control-log} events.
     *
     * @param events the streamed events, in arrival order
     * @return the exception with them
     */
    ViciCommandException withStreamed(List<ViciSection> events) {
        ViciCommandException e = new ViciCommandException(getMessage(), command, errmsg, events);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /**
     * @param command the command charon answered with CMD_UNKNOWN
     * @return the exception
     */
    static ViciCommandException unknownCommand(String command) {
        return new ViciCommandException("charon does not know the VICI command '" + command + "' (CMD_UNKNOWN)",
                command, null);
    }

    /**
     * @param event the event charon answered with EVENT_UNKNOWN
     * @param register whether it was a registration (or a deregistration)
     * @return the exception
     */
    static ViciCommandException unknownEvent(String event, boolean register) {
        return new ViciCommandException("charon refused the " + (register ? "registration for" : "deregistration from")
                + " VICI event '" + event + "' (EVENT_UNKNOWN)", event, null);
    }

    /**
     * @param command the command whose response says {@code success = no}
     * @param errmsg charon's {@code errmsg}, null if it sent none
     * @return the exception
     */
    static ViciCommandException failed(String command, String errmsg) {
        return new ViciCommandException("VICI command '" + command + "' failed: "
                + (errmsg == null ? "charon gave no errmsg" : errmsg), command, errmsg);
    }

    /** @return the command, or the event name for an EVENT_UNKNOWN */
    public String command() {
        return command;
    }

    /**
     * @return for a streamed command ({@code initiate}, {@code terminate}, {@code list-sas}, ...): the events it
     *         streamed before the failed response, e.g. the {@code control-log} lines of a failed initiate; else empty
     */
    public List<ViciSection> streamed() {
        return streamed;
    }

    /** @return charon's {@code errmsg}, present only for a {@code success = no} response that carried one */
    public Optional<String> errmsg() {
        return Optional.ofNullable(errmsg);
    }
}
