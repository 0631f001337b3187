/**
 * The codec of strongSwan's VICI protocol (Versatile IKE Control Interface), pure: bytes in,
 * messages out, no socket and no daemon. {@link io.sitegate.tunnel.internal.vici.ViciCodec} encodes and
 * decodes messages, packets and length-prefixed frames; {@link io.sitegate.tunnel.internal.vici.ViciSection}
 * is the immutable message tree; {@link io.sitegate.tunnel.internal.vici.ViciProtocolException} is the
 * only thing decoding throws. {@link io.sitegate.tunnel.internal.vici.ViciSocketTransport} carries frames over
 * charon's UNIX socket; {@link io.sitegate.tunnel.internal.vici.ViciSession} runs commands, streamed
 * commands and event listeners over it, and {@link io.sitegate.tunnel.internal.vici.ViciCommands} names
 * the calls the tunnel bundle makes: transport, codec and session as in strongSwan's own Python client
 * ({@code src/libcharon/plugins/vici/python/vici/}).
 *
 * <p>The wire format follows strongSwan's {@code src/libcharon/plugins/vici/README.md}, its limits
 * {@code vici_socket.h} ({@code VICI_MESSAGE_SIZE_MAX}) and {@code vici_builder.c} (255-byte names,
 * 65535-byte values). The package is private to the bundle: its only users are the VICI session and the
 * tunnel supervisor of this bundle, so it is not a versioned API.
 */
package io.sitegate.tunnel.internal.vici;
