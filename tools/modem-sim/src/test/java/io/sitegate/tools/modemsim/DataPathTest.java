package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data path (--data-hook, 'data?'): packets flow only while the module is registered, its radio on, its SIM
 * ready, a PDP context active and its line plugged in.
 */
class DataPathTest {
    @TempDir
    Path dir;

    private static List<String> transitions(SimulatorFixture f) {
        return f.simulator.journal().commands().stream().filter(c -> c.startsWith("data ")).toList();
    }

    private static String control(ControlServer control, String line) {
        StringWriter out = new StringWriter();
        control.answer(line, out);
        return out.toString().strip();
    }

    @Test
    void opensWithAnActiveContextAndClosesWhenTheSessionTheNetworkOrTheModuleGoes() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25, "set reg 1")) {
            SimulatedModem m = f.simulator.modem();
            assertThat(DataPath.open(m)).as("registered, no context").isFalse();
            f.at("AT+CGACT=1,1");
            assertThat(DataPath.open(m)).isTrue();
            f.at("AT+CGACT=0,1");
            assertThat(DataPath.open(m)).as("context deactivated by the host").isFalse();
            f.at("AT+CGACT=1,1");
            f.simulator.apply("set reg 0");
            assertThat(DataPath.open(m)).isFalse();
            f.simulator.apply("set reg 1");
            assertThat(DataPath.open(m)).as("back on the network, the host must activate again").isFalse();
            f.at("AT+CGACT=1,1");
            assertThat(DataPath.open(m)).isTrue();
            f.at("AT+CFUN=4");
            assertThat(DataPath.open(m)).as("radio off").isFalse();
            f.at("AT+CFUN=1");
            f.at("AT+CGACT=1,1");
            assertThat(DataPath.open(m)).isTrue();
            f.simulator.unplug(Duration.ofMillis(200));
            assertThat(DataPath.open(m)).as("the module lost power with its USB port").isFalse();
        }
    }

    @Test
    void eachTransitionIsJournalledAndAnsweredByDataQuery() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25, "set reg 1");
                ControlServer c = new ControlServer(f.simulator, 0)) {
            assertThat(transitions(f)).as("the initial state is no transition").isEmpty();
            assertThat(control(c, "data?")).isEqualTo("data: data down" + System.lineSeparator() + "ok");

            f.at("AT+CGACT=1,1");
            assertThat(transitions(f)).containsExactly("data up");
            assertThat(control(c, "data?")).startsWith("data: data up");
            f.at("AT+CGACT=0,1");
            f.at("AT+CGACT=1,1");
            assertThat(transitions(f)).containsExactly("data up", "data down", "data up");

            // registration lost, then regained (roaming): down, and stays down until the host activates again
            control(c, "set reg 0");
            assertThat(control(c, "data?")).startsWith("data: data down");
            control(c, "set reg 5");
            assertThat(control(c, "data?")).startsWith("data: data down");
            f.at("AT+CGACT=1,1");
            assertThat(control(c, "data?")).startsWith("data: data up");

            // the SIM locked (hot swap with a PIN): no registration, no data, contexts gone
            f.simulator.apply("set sim pin 1234");
            assertThat(control(c, "data?")).startsWith("data: data down");
            f.at("AT+CPIN=1234");
            assertThat(control(c, "data?")).as("SIM ready again, no context").startsWith("data: data down");
            f.at("AT+CGACT=1,1");
            assertThat(control(c, "data?")).startsWith("data: data up");

            // radio off
            f.at("AT+CFUN=4");
            assertThat(control(c, "data?")).startsWith("data: data down");
            f.at("AT+CFUN=1");
            f.at("AT+CGACT=1,1");
            assertThat(transitions(f)).endsWith("data down", "data up");

            // a fault: the module is unplugged
            assertThat(control(c, "fault drop 300ms")).isEqualTo("ok");
            assertThat(control(c, "data?")).startsWith("data: data down");
            assertThat(transitions(f)).containsExactly("data up", "data down", "data up", "data down", "data up",
                    "data down", "data up", "data down", "data up", "data down");
        }
    }

    @Test
    void aModuleResetClosesTheDataPath() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.SIMCOM_SIM7600, "set reg 1")) {
            f.at("AT+CGACT=1,1");
            assertThat(f.simulator.dataPathState()).isEqualTo("up");
            f.simulator.apply("reset");
            assertThat(f.simulator.dataPathState()).isEqualTo("down");
        }
    }

    @Test
    void deregistrationDeactivatesTheContexts() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25, "set reg 1")) {
            f.at("AT+CGDCONT=2,\"IP\",\"internet\"");
            assertThat(f.at("AT+CGACT=1,1")).containsExactly("OK");
            assertThat(f.at("AT+CGACT=1,2")).containsExactly("OK");
            assertThat(f.at("AT+CGACT?")).containsExactly("+CGACT: 1,1", "+CGACT: 2,1", "OK");
            f.simulator.apply("set reg 2"); // searching: 27.007 +CGEV: NW DETACH, every context deactivated
            assertThat(f.at("AT+CGACT?")).containsExactly("+CGACT: 1,0", "+CGACT: 2,0", "OK");
            f.simulator.apply("set reg 1");
            assertThat(f.at("AT+CGACT?")).as("not reactivated by the network coming back")
                    .containsExactly("+CGACT: 1,0", "+CGACT: 2,0", "OK");
        }
    }

    @Test
    void theHookScriptIsRunWithUpAndDownInOrderStartingWithTheInitialState() throws Exception {
        Path calls = dir.resolve("calls");
        Path hook = dir.resolve("hook");
        Files.writeString(hook, "#!/bin/sh\necho \"$1\" >> '" + calls + "'\necho hook said $1\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        TcpEndpoint endpoint = new TcpEndpoint(0);
        try (ModemSimulator sim = new ModemSimulator(Vendor.QUECTEL_EC25, endpoint)) {
            sim.apply("set reg 1");
            sim.dataHook(DataPath.command(hook));
            sim.start();
            awaitLines(calls, List.of("down"));
            try (TestHost host = TestHost.tcp(endpoint.port())) {
                host.command("ATE0");
                host.command("AT+CGACT=1,1");
                awaitLines(calls, List.of("down", "up"));
                sim.apply("set reg 0");
                awaitLines(calls, List.of("down", "up", "down"));
                sim.apply("set reg 1");
                host.command("AT+CGACT=1,1");
                awaitLines(calls, List.of("down", "up", "down", "up"));
                host.command("AT+CGACT=0,1");
                awaitLines(calls, List.of("down", "up", "down", "up", "down"));
            }
        }
    }

    @Test
    void theHookRunsOffTheCallersThreadAndTheLatestStateWins() throws Exception {
        boolean[] state = {false};
        BooleanSupplier open = () -> state[0];
        List<Boolean> told = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CommandJournal journal = new CommandJournal();
        try (DataPath p = new DataPath(open, journal, up -> {
            started.countDown();
            try {
                release.await(5, TimeUnit.SECONDS); // a slow hook: the first call blocks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            told.add(up);
        }, 0)) {
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            // three transitions while the hook is busy with the initial state: check() never waits for it
            long start = System.nanoTime();
            state[0] = true;
            p.check();
            state[0] = false;
            p.check();
            state[0] = true;
            p.check();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(journal.commands()).containsExactly("data up", "data down", "data up");
            assertThat(p.state()).isEqualTo("up");
            release.countDown();
            awaitSize(told, 2);
            Thread.sleep(100);
            assertThat(told).as("initial, then only the latest").containsExactly(false, true);

            // a flap back to the state the hook was told last: it is not told again, and ends in the actual state
            state[0] = false;
            p.check();
            awaitSize(told, 3);
            assertThat(told).containsExactly(false, true, false);
        }
    }

    @Test
    void aHookThatIsNotExecutableIsRefusedAtStart() {
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--tcp", "0", "--data-hook",
                dir.resolve("missing").toString()})).hasMessageContaining("not an executable file");
    }

    @Test
    void theHookOptionIsParsed() throws Exception {
        Path hook = dir.resolve("hook");
        Files.writeString(hook, "#!/bin/sh\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        assertThat(SimulatorOptions.parse(new String[] {"--tcp", "0", "--data-hook", hook.toString()}).dataHook())
                .isEqualTo(hook);
        assertThat(SimulatorOptions.USAGE).contains("--data-hook <exe>");
    }

    private static void awaitLines(Path file, List<String> expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> lines = List.of();
        while (System.currentTimeMillis() < deadline) {
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (lines.size() >= expected.size()) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(lines).containsExactlyElementsOf(expected);
    }

    private static void awaitSize(List<?> list, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (list.size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(n);
    }
}
