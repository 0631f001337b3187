package io.sitegate.modem.internal.service;

import io.sitegate.modem.AtTransport;
import io.sitegate.modem.ModemProfile;
import io.sitegate.modem.internal.profile.ModemProfiles;
import io.sitegate.modem.internal.session.AtSession;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/** An open transport with its AT session and driver; closed as one when the modem goes away. */
final class ModemLink implements AutoCloseable {
    private final AtTransport transport;
    private final AtSession session;
    private final ModemDriver driver;

    private ModemLink(AtTransport transport, AtSession session, UnsupportedCommands unsupported) {
        this.transport = transport;
        this.session = session;
        this.driver = new ModemDriver(session, unsupported);
    }

    /** Opens the port; the session knows every vendor's URCs because the profile is detected later. */
    static ModemLink open(Supplier<AtTransport> transports, UnsupportedCommands unsupported) throws IOException {
        AtTransport t = transports.get();
        t.open();
        Set<String> urcs = new HashSet<>();
        for (ModemProfile p : ModemProfiles.all()) {
            urcs.addAll(p.urcPrefixes());
        }
        return new ModemLink(t, new AtSession(t, urcs), unsupported);
    }

    AtSession session() {
        return session;
    }

    ModemDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        session.close();
        try {
            transport.close();
        } catch (RuntimeException ignored) {
            // already gone (unplugged): nothing left to release
        }
    }
}
