package io.sitegate.modem;

import java.time.Instant;
import java.util.Optional;

/**
 * A modem's status as last seen by its connection keeper.
 *
 * @param id            modem id
 * @param port          where it is attached (path or {@code tcp://host:port})
 * @param profile       the vendor profile in use (empty until detected)
 * @param link          the AT link
 * @param identity      identity, once read
 * @param sim           SIM state, empty until read
 * @param registration  the best registration among CS/PS/EPS, once read
 * @param operator      the current operator, once read
 * @param signal        the last signal reading
 * @param session       the data session state
 * @param reason        why the session is in that state (empty when UP)
 * @param address       the session's IP address when UP
 * @param usage         data counters
 * @param smsSent       SMS sent since the counters were first kept
 * @param smsReceived   SMS received since the counters were first kept
 * @param updated       when this status was taken
 */
public record ModemStatus(String id, String port, String profile, LinkState link, Optional<ModemIdentity> identity,
                          Optional<SimState> sim, Optional<NetworkRegistration> registration,
                          Optional<OperatorSelection> operator, SignalQuality signal, SessionState session,
                          String reason, Optional<String> address, DataUsage usage, long smsSent, long smsReceived,
                          Instant updated) {

    /** Registered (home or roaming) on some network. */
    public boolean registered() {
        return registration.map(r -> r.status().isRegistered()).orElse(false);
    }

    /** The PLMN (MCC+MNC) of the current network, when known. */
    public Optional<String> plmn() {
        return operator.flatMap(OperatorSelection::plmn);
    }
}
