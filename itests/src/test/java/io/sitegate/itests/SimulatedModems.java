package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.sitegate.modem.LinkState;
import io.sitegate.modem.Modem;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.Modems;
import io.sitegate.modem.SessionState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.ops4j.pax.exam.Option;

/**
 * Simulated modems for the tests: in the test JVM, the Pax Exam options that point a modem configuration at a
 * simulator and hand its control port to the container; in the container, the simulator and the modem by id,
 * and waiting for a modem's session.
 */
final class SimulatedModems {

    private SimulatedModems() {
    }

    /**
     * etc/io.sitegate.modem-{id}.cfg on the simulator's link with a fast poll and back-off, these extra keys
     * and values, and the system property {propertyPrefix}.{id}.control with the simulator's control port.
     */
    static List<Option> configure(String propertyPrefix, String id, SimulatorProcess sim, String apn, String... extraKeysAndValues) {
        String cfg = "etc/io.sitegate.modem-" + id + ".cfg";
        List<Option> options = new ArrayList<>();
        options.add(editConfigurationFilePut(cfg, "port", sim.link()));
        options.add(editConfigurationFilePut(cfg, "apn", apn));
        options.add(editConfigurationFilePut(cfg, "pollSeconds", "1"));
        options.add(editConfigurationFilePut(cfg, "backoffInitialSeconds", "1"));
        options.add(editConfigurationFilePut(cfg, "backoffMaxSeconds", "2"));
        for (int i = 0; i < extraKeysAndValues.length; i += 2) {
            options.add(editConfigurationFilePut(cfg, extraKeysAndValues[i], extraKeysAndValues[i + 1]));
        }
        options.add(systemProperty(propertyPrefix + "." + id + ".control").value(String.valueOf(sim.controlPort())));
        return options;
    }

    /** The simulator configured by {@link #configure} under this prefix. */
    static SimulatorProcess sim(String propertyPrefix, String id) {
        return SimulatorProcess.control(Integer.getInteger(propertyPrefix + "." + id + ".control"));
    }

    /** The modem with this id, waiting for it to appear. */
    static Modem modem(Modems modems, String id, long timeoutMs, Supplier<String> whenMissing) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            Optional<Modem> m = modems.byId(id);
            if (m.isPresent()) {
                return m.get();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no modem " + id + whenMissing.get());
            }
            sleep(100);
        }
    }

    /** Waits for the modem's session to reach this state; a timeout names the last status and what details add. */
    static ModemStatus awaitSession(Modem m, String id, SessionState state, long timeoutMs, Supplier<String> details)
            throws InterruptedException {
        try {
            SitegateTestSupport.await(id + " session " + state, timeoutMs, () -> m.status().session() == state);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last status " + m.status() + details.get());
        }
        return m.status();
    }

    /** Waits for the session UP, then the link must be READY. */
    static ModemStatus awaitSessionUp(Modem m, String id, long timeoutMs, Supplier<String> details) throws InterruptedException {
        ModemStatus s = awaitSession(m, id, SessionState.UP, timeoutMs, details);
        assertEquals(LinkState.READY, s.link());
        return s;
    }

    /** The journal's commands that match the pattern, in order. */
    static List<String> matching(List<String> journal, Pattern pattern) {
        return journal.stream().filter(c -> pattern.matcher(c).matches()).toList();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
