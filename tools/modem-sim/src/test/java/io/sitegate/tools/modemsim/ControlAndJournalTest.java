package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlAndJournalTest {

    @Test
    void controlChannelAppliesLinesAndAnswersQueries() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25);
                ControlServer control = new ControlServer(f.simulator, 0);
                Socket s = new Socket(InetAddress.getLoopbackAddress(), control.port());
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
            f.at("AT+CEREG=1");
            out.println("set reg 5 oper=20801");
            assertThat(in.readLine()).isEqualTo("ok");
            assertThat(f.host.awaitLines(l -> l.startsWith("+CEREG"))).containsExactly("+CEREG: 5");

            out.println("set reg 9");
            assertThat(in.readLine()).isEqualTo(
                    "error: control:1: registration status 9 out of range 0..5 in 'set reg 9'");

            f.at("AT+QCFG=\"nwscanmode\",3,1");
            out.println("get journal");
            assertThat(readData(in)).containsExactly("ATE0", "AT+CEREG=1", "AT+QCFG=\"nwscanmode\",3,1");

            out.println("get state");
            assertThat(readData(in)).contains("reg=5 act=7 area=1A2B ci=01A2B3C4 oper=20801 name=20801",
                    "rat={nwscanmode=3}");

            out.println("clear journal");
            assertThat(in.readLine()).isEqualTo("ok");
            out.println("get journal");
            assertThat(readData(in)).isEmpty();

            f.at("AT+CMGF=1");
            f.host.send("AT+CMGS=\"+4917\"\r");
            f.host.awaitText("> ");
            f.host.send("ping\u001A");
            f.host.awaitLines(TestHost::isFinal);
            out.println("get sms-sent");
            assertThat(readData(in)).containsExactly("+4917 ping");
        }
    }

    private static List<String> readData(BufferedReader in) throws Exception {
        List<String> data = new ArrayList<>();
        String line;
        while (!(line = in.readLine()).equals("ok")) {
            assertThat(line).startsWith("data: ");
            data.add(line.substring(6));
        }
        return data;
    }

    @Test
    void journalFileGetsEveryCommandWithPinsMasked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("journal.log");
        TcpEndpoint endpoint = new TcpEndpoint(0);
        try (ModemSimulator sim = new ModemSimulator(Vendor.GENERIC, endpoint, new CommandJournal(file),
                System::nanoTime)) {
            sim.apply("set sim pin 2468");
            sim.start();
            try (TestHost host = TestHost.tcp(endpoint.port())) {
                host.command("AT+CPIN=\"2468\"");
                host.command("AT+CSQ;+CPIN=1;+CGMI");
                assertThat(sim.journal().await("AT+CSQ;+CPIN=****;+CGMI", TestHost.TIMEOUT)).isTrue();
            }
        }
        assertThat(Files.readAllLines(file)).containsExactly("AT+CPIN=****", "AT+CSQ;+CPIN=****;+CGMI");
    }

    @Test
    void commandLineOptionsAreChecked() {
        SimulatorOptions o = SimulatorOptions.parse(new String[] {"--tcp", "0", "--vendor", "ublox-sara-r5",
            "--control", "7000", "--verbose"});
        assertThat(o.vendor()).isEqualTo(Vendor.UBLOX_SARA_R5);
        assertThat(o.tcpPort()).isZero();
        assertThat(o.controlPort()).isEqualTo(7000);
        assertThat(o.verbose()).isTrue();
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--vendor", "nokia"}))
                .hasMessageContaining("unknown vendor 'nokia'");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--tcp", "1", "--pty", "/tmp/x"}))
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--tcp", "99999"}))
                .hasMessageContaining("port 0..65535");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--tcp"})).hasMessageContaining("needs a value");
    }
}
