package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data path (--data-hook): packets flow only while the module is registered with a PDP context active. */
class DataPathTest {
    @TempDir
    Path dir;

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
            // the network goes away: 27.007 10.1.19, the network deactivates the contexts (NW DETACH)
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
    void theHookIsToldTheInitialStateAndEachChangeInOrder() {
        boolean[] state = {false};
        List<Boolean> told = new CopyOnWriteArrayList<>();
        try (DataPath p = new DataPath(() -> state[0], told::add, 3_600_000)) {
            awaitSize(told, 1);
            p.sample();
            state[0] = true;
            p.sample();
            p.sample();
            state[0] = false;
            p.sample();
            assertThat(told).containsExactly(false, true, false);
            assertThat(p.state()).isEqualTo("down");
        }
    }

    @Test
    void theCommandHookRunsTheExecutableWithUpOrDownAndJournalsIt() throws Exception {
        Path out = dir.resolve("calls");
        Path hook = dir.resolve("hook");
        Files.writeString(hook, "#!/bin/sh\necho \"$1\" >> " + out + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        CommandJournal journal = new CommandJournal();
        DataPath.command(hook, journal).accept(true);
        DataPath.command(hook, journal).accept(false);
        assertThat(Files.readAllLines(out)).containsExactly("up", "down");
        assertThat(journal.commands()).containsExactly("data up", "data down");
    }

    @Test
    void aHookThatIsNotExecutableIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--tcp", "0", "--data-hook",
                dir.resolve("missing").toString()})).hasMessageContaining("not an executable file");
    }

    private static void awaitSize(List<?> list, int n) {
        long deadline = System.currentTimeMillis() + 5000;
        while (list.size() < n && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(n);
    }
}
