package io.sitegate.tunnel.internal.vici;

import static io.sitegate.tunnel.internal.vici.ViciSessionTest.SECOND;
import static io.sitegate.tunnel.internal.vici.ViciSessionTest.WAIT;
import static io.sitegate.tunnel.internal.vici.ViciSessionTest.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed calls put on the wire what strongSwan's
 * {@code src/libcharon/plugins/vici/python/vici/command_wrappers.py} puts there, with the argument
 * layouts of {@code src/libcharon/plugins/vici/README.md} ("Client-initiated commands").
 */
class ViciCommandsTest {

    @TempDir
    Path dir;

    FakeCharon charon;
    ViciSession session;
    ViciCommands commands;

    @BeforeEach
    void connect() throws Exception {
        charon = new FakeCharon(dir);
        session = charon.connect();
        commands = new ViciCommands(session);
    }

    @AfterEach
    void tearDown() throws Exception {
        session.close();
        charon.close();
    }

    @Test
    void credentialsAndConnectionsGoOverViciAsTheReadmeLaysThemOut() throws Exception {
        byte[] der = {0x30, (byte) 0x82, 0x01, 0x00, 0x00, (byte) 0xff};
        ViciSection psk = ViciSection.builder().put("id", "cloud-psk").put("type", "IKE")
                .put("data", "not-logged").putList("owners", List.of("gw.example", "site-7")).build();
        ViciSection conn = section("version", "2", "remote_addrs", "192.0.2.1");
        ViciSection ok = section("success", "yes");
        charon.play(c -> {
            c.expect(ViciPacket.request("load-shared", psk));
            c.respond(ok);
            c.expect(ViciPacket.request("load-key", ViciSection.builder().put("type", "ecdsa").put("data", der).build()));
            c.respond(ViciSection.builder().put("success", "yes").put("id", "a1b2").build());
            c.expect(ViciPacket.request("load-cert",
                    ViciSection.builder().put("type", "X509").put("flag", "CA").put("data", der).build()));
            c.respond(ok);
            c.expect(ViciPacket.request("load-conn", ViciSection.builder().put("cloud", conn).build()));
            c.respond(ok);
            c.expect(ViciPacket.request("unload-conn", section("name", "cloud")));
            c.respond(section("success", "no", "errmsg", "connection 'cloud' not found"));
        });

        commands.loadShared(psk, SECOND);
        assertThat(commands.loadKey("ecdsa", der, SECOND).string("id")).contains("a1b2");
        commands.loadCert("X509", "CA", der, SECOND);
        commands.loadConn("cloud", conn, SECOND);
        assertThatThrownBy(() -> commands.unloadConn("cloud", SECOND)).isInstanceOf(ViciCommandException.class)
                .hasMessage("VICI command 'unload-conn' failed: connection 'cloud' not found");
        charon.finish();
        assertThat(psk.toString()).doesNotContain("not-logged");
    }

    @Test
    void initiateAndTerminateCollectTheirControlLog() throws Exception {
        ViciSection child = section("child", "cloud-net", "timeout", "10000");
        ViciSection line = section("group", "IKE", "level", "1", "msg", "authentication of 'gw' failed");
        charon.play(c -> {
            c.expect(ViciPacket.register("control-log"));
            c.confirm();
            c.expect(ViciPacket.request("initiate", child));
            c.send(ViciPacket.event("control-log", line));
            c.respond(section("success", "no", "errmsg", "establishing CHILD_SA 'cloud-net' failed"));
            c.expect(ViciPacket.unregister("control-log"));
            c.confirm();
            c.expect(ViciPacket.register("control-log"));
            c.confirm();
            c.expect(ViciPacket.request("terminate", section("ike", "cloud")));
            c.respond(section("success", "yes", "matches", "1", "terminated", "1"));
            c.expect(ViciPacket.unregister("control-log"));
            c.confirm();
        });

        assertThatThrownBy(() -> commands.initiate(child, SECOND)).isInstanceOf(ViciCommandException.class)
                .hasMessage("VICI command 'initiate' failed: establishing CHILD_SA 'cloud-net' failed")
                // the log lines raised before the failure travel with it: they say why (here: authentication)
                .satisfies(e -> assertThat(((ViciCommandException) e).streamed()).containsExactly(line));
        ViciStreamedResponse terminated = commands.terminate(section("ike", "cloud"), SECOND);
        assertThat(terminated.events()).isEmpty();
        assertThat(terminated.response().string("terminated")).contains("1");
        charon.finish();
    }

    @Test
    void listsStatsAndListeners() throws Exception {
        ViciSection conn = ViciSection.builder().put("cloud", section("version", "IKEv2")).build();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        charon.play(c -> {
            c.expect(ViciPacket.request("stats", null));
            c.respond(ViciSection.builder().put("uptime", section("running", "5 minutes")).build());
            c.expect(ViciPacket.register("list-conn"));
            c.confirm();
            c.expect(ViciPacket.request("list-conns", section("ike", "cloud")));
            c.send(ViciPacket.event("list-conn", conn));
            c.respond(ViciSection.EMPTY);
            c.expect(ViciPacket.unregister("list-conn"));
            c.confirm();
            for (String event : List.of("ike-updown", "child-updown", "log")) {
                c.expect(ViciPacket.register(event));
                c.confirm();
                c.send(ViciPacket.event(event, section("up", "yes")));
            }
        });

        assertThat(commands.stats(SECOND).section("uptime").flatMap(u -> u.string("running"))).contains("5 minutes");
        assertThat(commands.listConns(section("ike", "cloud"), SECOND).events()).containsExactly(conn);
        for (String event : List.of(ViciCommands.IKE_UPDOWN, ViciCommands.CHILD_UPDOWN, ViciCommands.LOG)) {
            commands.listen(event, (name, message) -> events.add(name), SECOND);
            assertThat(events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(event);
        }
        charon.finish();
    }
}
