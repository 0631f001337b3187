package io.sitegate.tunnel.internal.vici;

import java.io.IOException;
import java.time.Duration;

/**
 * Typed calls for the VICI commands and events of issue 18, over a {@link ViciSession}. Thin, like
 * strongSwan's {@code src/libcharon/plugins/vici/python/vici/command_wrappers.py}: names, argument
 * layouts and streamed events as there and in {@code src/libcharon/plugins/vici/README.md}
 * ("Client-initiated commands", "Server-issued events"); no business logic. Every call throws what
 * {@link ViciSession#request} throws, including {@link ViciCommandException} with charon's
 * {@code errmsg} for {@code success = no}.
 */
public final class ViciCommands {

    /** Raised for IKE_SA state changes. */
    public static final String IKE_UPDOWN = "ike-updown";
    /** Raised for CHILD_SA state changes. */
    public static final String CHILD_UPDOWN = "child-updown";
    /** charon's log lines, for all IKE_SAs. */
    public static final String LOG = "log";

    private final ViciSession session;

    /**
     * @param session the session the calls go over
     */
    public ViciCommands(ViciSession session) {
        this.session = session;
    }

    /**
     * @param timeout for the call
     * @return daemon, version, sysname, release, machine
     * @throws IOException see {@link ViciSession#request}
     */
    public ViciSection version(Duration timeout) throws IOException {
        return session.request("version", ViciSection.EMPTY, timeout);
    }

    /**
     * @param timeout for the call
     * @return uptime, workers, queues, scheduled jobs, IKE_SA counts, plugins, memory
     * @throws IOException see {@link ViciSession#request}
     */
    public ViciSection stats(Duration timeout) throws IOException {
        return session.request("stats", ViciSection.EMPTY, timeout);
    }

    /**
     * Loads (or replaces) a connection: the message is one section named after the connection.
     *
     * @param name the connection name
     * @param connection the connection's settings (version, local_addrs, local/remote, children, ...)
     * @param timeout for the call
     * @throws IOException see {@link ViciSession#request}
     */
    public void loadConn(String name, ViciSection connection, Duration timeout) throws IOException {
        session.request("load-conn", ViciSection.builder().put(name, connection).build(), timeout);
    }

    /**
     * @param name the connection to unload
     * @param timeout for the call
     * @throws IOException see {@link ViciSession#request}
     */
    public void unloadConn(String name, Duration timeout) throws IOException {
        session.request("unload-conn", ViciSection.builder().put("name", name).build(), timeout);
    }

    /**
     * Loads a shared secret. The secret travels only inside the message, never in a log: a
     * {@link ViciSection} prints values as their length.
     *
     * @param shared id, type (IKE, EAP, ...), data (the secret), owners (a list of identities)
     * @param timeout for the call
     * @throws IOException see {@link ViciSession#request}
     */
    public void loadShared(ViciSection shared, Duration timeout) throws IOException {
        session.request("load-shared", shared, timeout);
    }

    /**
     * @param type the key type: rsa, ecdsa, ed25519, ed448 or any
     * @param data the key, PEM or DER
     * @param timeout for the call
     * @return the response, with the key's {@code id}
     * @throws IOException see {@link ViciSession#request}
     */
    public ViciSection loadKey(String type, byte[] data, Duration timeout) throws IOException {
        return session.request("load-key", ViciSection.builder().put("type", type).put("data", data).build(), timeout);
    }

    /**
     * @param type the certificate type: X509, X509_AC, X509_CRL
     * @param flag for X509: CA, AA, OCSP or NONE
     * @param data the certificate, PEM or DER
     * @param timeout for the call
     * @throws IOException see {@link ViciSession#request}
     */
    public void loadCert(String type, String flag, byte[] data, Duration timeout) throws IOException {
        session.request("load-cert", ViciSection.builder().put("type", type).put("flag", flag).put("data", data).build(),
                timeout);
    }

    /**
     * Initiates an SA and collects the {@code control-log} lines charon raises meanwhile, as
     * {@code command_wrappers.py} does. charon answers when the SA is up or has failed, or after the
     * message's own {@code timeout} (milliseconds): {@code timeout} here must be longer.
     *
     * @param arguments child, ike, timeout, init-limits, loglevel
     * @param timeout for the call
     * @return the log lines and the response
     * @throws IOException see {@link ViciSession#streamedRequest}
     */
    public ViciStreamedResponse initiate(ViciSection arguments, Duration timeout) throws IOException {
        return session.streamedRequest("initiate", "control-log", arguments, timeout);
    }

    /**
     * Terminates SAs and collects the {@code control-log} lines, as {@link #initiate}.
     *
     * @param arguments child, ike, child-id, ike-id, force, timeout, loglevel
     * @param timeout for the call
     * @return the log lines and the response
     * @throws IOException see {@link ViciSession#streamedRequest}
     */
    public ViciStreamedResponse terminate(ViciSection arguments, Duration timeout) throws IOException {
        return session.streamedRequest("terminate", "control-log", arguments, timeout);
    }

    /**
     * @param filter noblock, ike, ike-id, child, child-id; {@link ViciSection#EMPTY} for all
     * @param timeout for the call
     * @return one {@code list-sa} message per IKE_SA, and the response
     * @throws IOException see {@link ViciSession#streamedRequest}
     */
    public ViciStreamedResponse listSas(ViciSection filter, Duration timeout) throws IOException {
        return session.streamedRequest("list-sas", "list-sa", filter, timeout);
    }

    /**
     * @param filter ike (a connection name); {@link ViciSection#EMPTY} for all
     * @param timeout for the call
     * @return one {@code list-conn} message per connection, and the response
     * @throws IOException see {@link ViciSession#streamedRequest}
     */
    public ViciStreamedResponse listConns(ViciSection filter, Duration timeout) throws IOException {
        return session.streamedRequest("list-conns", "list-conn", filter, timeout);
    }

    /**
     * Listens to one of {@link #IKE_UPDOWN}, {@link #CHILD_UPDOWN}, {@link #LOG} (or any event charon
     * knows); remove the listener with {@link ViciSession#removeListener}.
     *
     * @param event the event
     * @param listener the listener, called on the session's reader thread
     * @param timeout for the registration
     * @throws IOException see {@link ViciSession#addListener}
     */
    public void listen(String event, ViciEventListener listener, Duration timeout) throws IOException {
        session.addListener(event, listener, timeout);
    }
}
