package io.sitegate.tunnel.internal.vici;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a streamed VICI command ({@code list-sas} with its {@code list-sa} events,
 * {@code list-conns} with {@code list-conn}, {@code initiate} with {@code control-log}): the events
 * charon raised between the request and the response, then the response. What strongSwan's
 * {@code python/vici/session.py} {@code streamed_request} yields, collected.
 *
 * @param events the messages of the streamed events, in arrival order
 * @param response the CMD_RESPONSE message
 */
public record ViciStreamedResponse(List<ViciSection> events, ViciSection response) {

    /**
     * @param events the streamed messages, copied
     * @param response the response message
     */
    public ViciStreamedResponse {
        events = List.copyOf(events);
        Objects.requireNonNull(response, "response");
    }
}
