package io.sitegate.tunnel.internal.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session against a fake charon, in the shapes of strongSwan's
 * {@code src/libcharon/plugins/vici/python/vici/session.py} ({@code request}, {@code streamed_request},
 * {@code _register_unregister}) and the answers {@code src/libcharon/plugins/vici/README.md} documents.
 */
class ViciSessionTest {

    static final Duration SECOND = Duration.ofSeconds(1);
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    FakeCharon charon;
    ViciSession session;

    @BeforeEach
    void connect() throws Exception {
        charon = new FakeCharon(dir);
        session = charon.connect();
    }

    @AfterEach
    void tearDown() throws Exception {
        session.close();
        charon.close();
    }

    static ViciSection section(String... keyValues) {
        ViciSection.Builder b = ViciSection.builder();
        for (int i = 0; i < keyValues.length; i += 2) {
            b.put(keyValues[i], keyValues[i + 1]);
        }
        return b.build();
    }

    @Test
    void aRequestGetsItsResponse() throws Exception {
        ViciSection version = section("daemon", "charon", "version", "5.9.14", "sysname", "Linux");
        charon.play(c -> {
            c.expect(ViciPacket.request("version", null));
            c.respond(version);
        });

        assertThat(session.request("version", null, SECOND)).isEqualTo(version);
        charon.finish();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void anUnknownCommandNamesTheCommandAndLeavesTheSessionOpen() throws Exception {
        charon.play(c -> {
            c.expect(ViciPacket.request("frobnicate", null));
            c.send(ViciPacket.of(ViciPacketType.CMD_UNKNOWN, null, null));
            c.expect(ViciPacket.request("stats", null));
            c.respond(section("uptime", "1"));
        });

        assertThatThrownBy(() -> session.request("frobnicate", null, SECOND)).isInstanceOf(ViciCommandException.class)
                .hasMessage("charon does not know the VICI command 'frobnicate' (CMD_UNKNOWN)");
        assertThat(session.request("stats", null, SECOND).string("uptime")).contains("1");
        charon.finish();
    }

    @Test
    void successNoCarriesCharonsErrmsg() throws Exception {
        ViciSection conn = section("version", "2", "remote_addrs", "192.0.2.1");
        charon.play(c -> {
            c.expect(ViciPacket.request("load-conn", ViciSection.builder().put("cloud", conn).build()));
            c.respond(section("success", "no", "errmsg", "invalid value for: remote_addrs"));
            c.expect(ViciPacket.request("terminate", null));
            c.respond(section("success", "no"));
        });

        assertThatThrownBy(() -> session.request("load-conn", ViciSection.builder().put("cloud", conn).build(), SECOND))
                .isInstanceOfSatisfying(ViciCommandException.class, e -> {
                    assertThat(e.command()).isEqualTo("load-conn");
                    assertThat(e.errmsg()).contains("invalid value for: remote_addrs");
                }).hasMessage("VICI command 'load-conn' failed: invalid value for: remote_addrs");
        assertThatThrownBy(() -> session.request("terminate", null, SECOND))
                .hasMessage("VICI command 'terminate' failed: charon gave no errmsg");
        charon.finish();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void listSasCollectsItsEventsWhileAnUnrelatedEventGoesToItsListener() throws Exception {
        ViciSection sa1 = ViciSection.builder().put("cloud-a", section("state", "ESTABLISHED")).build();
        ViciSection sa2 = ViciSection.builder().put("cloud-b", section("state", "CONNECTING")).build();
        ViciSection updown = ViciSection.builder().put("up", "yes").put("cloud-a", section("state", "ESTABLISHED")).build();
        BlockingQueue<ViciSection> seen = new LinkedBlockingQueue<>();
        charon.play(c -> {
            c.expect(ViciPacket.register("ike-updown"));
            c.confirm();
            c.expect(ViciPacket.register("list-sa"));
            c.confirm();
            c.expect(ViciPacket.request("list-sas", section("noblock", "yes")));
            c.send(ViciPacket.event("list-sa", sa1));
            c.send(ViciPacket.event("ike-updown", updown));
            c.send(ViciPacket.event("list-sa", sa2));
            c.respond(ViciSection.EMPTY);
            c.expect(ViciPacket.unregister("list-sa"));
            c.confirm();
        });
        session.addListener("ike-updown", (event, message) -> seen.add(message), SECOND);

        ViciStreamedResponse sas = session.streamedRequest("list-sas", "list-sa", section("noblock", "yes"), SECOND);

        assertThat(sas.events()).containsExactly(sa1, sa2);
        assertThat(sas.response()).isEqualTo(ViciSection.EMPTY);
        assertThat(seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(updown);
        charon.finish();
        assertThat(seen).isEmpty();
    }

    @Test
    void listConnsAnsweredWithSuccessNoStillUnregisters() throws Exception {
        charon.play(c -> {
            c.expect(ViciPacket.register("list-conn"));
            c.confirm();
            c.expect(ViciPacket.request("list-conns", null));
            c.respond(section("success", "no", "errmsg", "busy"));
            c.expect(ViciPacket.unregister("list-conn"));
            c.confirm();
        });

        assertThatThrownBy(() -> session.streamedRequest("list-conns", "list-conn", null, SECOND))
                .isInstanceOf(ViciCommandException.class).hasMessage("VICI command 'list-conns' failed: busy");
        charon.finish();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void aFailedInitiateKeepsTheControlLogLinesThatSayWhy() throws Exception {
        // the texts a real charon 5.9.8 sends for a wrong PSK (StrongSwanIT)
        ViciSection line = section("group", "IKE", "level", "1", "msg", "received AUTHENTICATION_FAILED notify error");
        charon.play(c -> {
            c.expect(ViciPacket.register("control-log"));
            c.confirm();
            c.expect(ViciPacket.request("initiate", section("child", "cloud-child")));
            c.send(ViciPacket.event("control-log", line));
            c.respond(section("success", "no", "errmsg", "establishing CHILD_SA 'cloud-child' failed"));
            c.expect(ViciPacket.unregister("control-log"));
            c.confirm();
        });

        assertThatThrownBy(() -> session.streamedRequest("initiate", "control-log", section("child", "cloud-child"), SECOND))
                .isInstanceOfSatisfying(ViciCommandException.class, e -> {
                    assertThat(e.errmsg()).contains("establishing CHILD_SA 'cloud-child' failed");
                    assertThat(e.streamed()).containsExactly(line);
                }).hasMessage("VICI command 'initiate' failed: establishing CHILD_SA 'cloud-child' failed");
        charon.finish();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void eventUnknownOnRegisterIsAClearErrorAndAddsNoListener() throws Exception {
        charon.play(c -> {
            c.expect(ViciPacket.register("ike-sideways"));
            c.send(ViciPacket.of(ViciPacketType.EVENT_UNKNOWN, null, null));
            c.expect(ViciPacket.register("ike-sideways"));
            c.confirm();
        });

        assertThatThrownBy(() -> session.addListener("ike-sideways", (e, m) -> { }, SECOND))
                .isInstanceOf(ViciCommandException.class)
                .hasMessage("charon refused the registration for VICI event 'ike-sideways' (EVENT_UNKNOWN)");
        // nothing was kept: the next listener registers again
        session.addListener("ike-sideways", (e, m) -> { }, SECOND);
        charon.finish();
    }

    @Test
    void listenerExceptionsNeverBreakTheSessionAndIdleEventsArrive() throws Exception {
        CountDownLatch delivered = new CountDownLatch(2);
        CountDownLatch bothAdded = new CountDownLatch(1);
        List<String> lines = new ArrayList<>();
        charon.play(c -> {
            c.expect(ViciPacket.register("log"));
            c.confirm();
            assertThat(bothAdded.await(FakeCharon.IO.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            c.send(ViciPacket.event("log", section("msg", "one")));
            c.send(ViciPacket.event("log", section("msg", "two")));
            c.expect(ViciPacket.request("version", null));
            c.respond(section("daemon", "charon"));
            c.expect(ViciPacket.unregister("log"));
            c.confirm();
        });
        ViciEventListener broken = (event, message) -> {
            throw new IllegalStateException("listener bug");
        };
        ViciEventListener collecting = (event, message) -> {
            lines.add(message.string("msg").orElseThrow());
            delivered.countDown();
        };
        session.addListener("log", broken, SECOND);
        session.addListener("log", collecting, SECOND);
        bothAdded.countDown();

        assertThat(delivered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(lines).containsExactly("one", "two");
        assertThat(session.request("version", null, SECOND).string("daemon")).contains("charon");
        session.removeListener("log", broken, SECOND);
        session.removeListener("log", collecting, SECOND); // the last one unregisters
        charon.finish();
    }

    @Test
    void aListenerThatCallsItsOwnSessionIsRefusedInsteadOfDeadlocking() throws Exception {
        CompletableFuture<Throwable> attempt = new CompletableFuture<>();
        charon.play(c -> {
            c.expect(ViciPacket.register("child-updown"));
            c.confirm();
            c.send(ViciPacket.event("child-updown", section("up", "yes")));
        });
        session.addListener("child-updown", (event, message) -> {
            try {
                session.request("list-sas", null, SECOND);
                attempt.complete(null);
            } catch (Throwable e) {
                attempt.complete(e);
            }
        }, SECOND);

        assertThat(attempt.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("called from an event listener of the same session");
        charon.finish();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void fourConcurrentCallersEachGetTheirOwnAnswer() throws Exception {
        int callers = 4;
        int calls = 25;
        charon.play(c -> {
            for (int i = 0; i < callers * calls; i++) {
                ViciPacket request = c.read();
                if (i % 10 == 0) { // an event in between answers belongs to no caller
                    c.send(ViciPacket.event("ike-updown", section("up", "no")));
                }
                c.respond(section("echo", request.message().string("id").orElseThrow()));
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                int caller = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < calls; i++) {
                        String id = caller + "-" + i;
                        String echo = session.request("version", section("id", id), WAIT).string("echo").orElseThrow();
                        if (!echo.equals(id)) {
                            wrong.add(id + " got " + echo);
                        }
                    }
                    return wrong;
                }));
            }
            start.countDown();
            for (Future<List<String>> result : results) {
                assertThat(result.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS)).isEmpty();
            }
            charon.finish();
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }
    }
}
