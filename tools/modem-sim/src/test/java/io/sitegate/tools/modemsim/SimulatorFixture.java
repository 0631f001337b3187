package io.sitegate.tools.modemsim;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/** A started simulator on a free TCP port with a connected host that has consumed the boot URCs. */
final class SimulatorFixture implements Closeable {

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final ModemSimulator simulator;
    final TcpEndpoint endpoint;
    final TestHost host;

    SimulatorFixture(Vendor vendor, String... scenario) throws Exception {
        endpoint = new TcpEndpoint(0);
        simulator = new ModemSimulator(vendor, endpoint, new CommandJournal(), nanos::get);
        for (String line : scenario) {
            simulator.apply(line);
        }
        simulator.start();
        host = TestHost.tcp(endpoint.port());
        host.command("ATE0"); // echo of ATE0 itself arrives, later commands are not echoed
    }

    static SimulatorFixture of(Vendor vendor, String... scenario) throws Exception {
        return new SimulatorFixture(vendor, scenario);
    }

    /** Sends a command, returns the lines of its answer. */
    java.util.List<String> at(String command) throws Exception {
        return host.command(command);
    }

    @Override
    public void close() throws IOException {
        host.close();
        simulator.close();
    }
}
