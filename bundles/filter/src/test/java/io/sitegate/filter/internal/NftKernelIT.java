package io.sitegate.filter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sitegate.filter.internal.FilterRule.Action;
import io.sitegate.filter.internal.FilterRule.Proto;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rendered table in the real kernel: a LAN namespace routed through a gateway namespace (the table loaded
 * with nft -f) to a cloud namespace with TCP listeners on many addresses. Random rule sets must let through exactly
 * the connections {@link RuleSet#decide} allows; a file with an error leaves the table in force; 10,000 rules load.
 */
class NftKernelIT {
    static final String LAN = "sgf-lan";
    static final String GW = "sgf-gw";
    static final String CLOUD = "sgf-cloud";
    /** The cloud's addresses: a few prefixes, so that random rules nest. */
    static final List<String> HOSTS = List.of("198.51.100.10", "198.51.100.20", "198.51.100.130", "192.0.2.10", "192.0.2.77",
            "203.0.113.5", "203.0.113.200");

    @BeforeAll
    static void topology() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
        teardown();
        for (String ns : List.of(LAN, GW, CLOUD)) {
            sh("ip netns add " + ns);
            sh("ip -n " + ns + " link set lo up");
        }
        sh("ip link add sgf-l0 netns " + LAN + " type veth peer name sgf-l1 netns " + GW);
        sh("ip link add sgf-c0 netns " + CLOUD + " type veth peer name sgf-c1 netns " + GW);
        sh("ip -n " + LAN + " addr add 10.77.0.2/24 dev sgf-l0");
        sh("ip -n " + LAN + " link set sgf-l0 up");
        sh("ip -n " + LAN + " route add default via 10.77.0.1");
        sh("ip -n " + GW + " addr add 10.77.0.1/24 dev sgf-l1");
        sh("ip -n " + GW + " addr add 10.78.0.1/24 dev sgf-c1");
        sh("ip -n " + GW + " link set sgf-l1 up");
        sh("ip -n " + GW + " link set sgf-c1 up");
        sh("ip -n " + GW + " route add default via 10.78.0.2");
        sh("ip netns exec " + GW + " sysctl -qw net.ipv4.ip_forward=1");
        sh("ip -n " + CLOUD + " addr add 10.78.0.2/24 dev sgf-c0");
        sh("ip -n " + CLOUD + " link set sgf-c0 up");
        sh("ip -n " + CLOUD + " route add 10.77.0.0/24 via 10.78.0.1");
        for (String h : HOSTS) {
            sh("ip -n " + CLOUD + " addr add " + h + "/32 dev lo");
        }
        for (int port : new int[] {80, 443}) {
            new ProcessBuilder("ip", "netns", "exec", CLOUD, "socat", "TCP-LISTEN:" + port + ",fork,reuseaddr", "SYSTEM:true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }
        Thread.sleep(300);
    }

    @AfterAll
    static void teardown() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        for (String ns : List.of(CLOUD, GW, LAN)) {
            run("ip netns pids " + ns + " 2>/dev/null | xargs -r kill; ip netns del " + ns + " 2>/dev/null; true");
        }
    }

    @Test
    void theKernelDecidesExactlyAsThePrecedenceSays() throws Exception {
        Random random = new Random(Long.getLong("sitegate.filter.seed", 42));
        String[] prefixes = {"198.51.100.0/24", "198.51.100.0/25", "198.51.100.128/25", "198.51.100.10/32", "192.0.0.0/16",
                "192.0.2.0/24", "192.0.2.64/26", "203.0.113.0/24", "203.0.0.0/16", "0.0.0.0/0", "198.0.0.0/8"};
        String[] ports = {"", " tcp", " tcp/443", " tcp/80", " udp/53", " tcp/1-100"};
        int probes = 0;
        int allowed = 0;
        for (int round = 0; round < 4; round++) {
            List<String> specs = new ArrayList<>();
            int n = 3 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                specs.add((random.nextBoolean() ? "allow " : "deny ") + prefixes[random.nextInt(prefixes.length)]
                        + ports[random.nextInt(ports.length)]);
            }
            RuleSet set = RuleSetTest.rules(random.nextBoolean() ? Action.ALLOW : Action.DENY, specs.toArray(String[]::new));
            load(NftRenderer.render(set, List.of("sgf-l1"), List.of("sgf-c1"), List.of(), List.of()));
            for (String host : HOSTS) {
                for (int port : new int[] {80, 443}) {
                    boolean expected = set.decide(InetAddress.getByName(host), Proto.TCP, port, x -> List.of()).action() == Action.ALLOW;
                    assertThat(connects(host, port)).as("round " + round + " " + specs + " default " + set.defaultAction()
                            + ": " + host + ":" + port).isEqualTo(expected);
                    probes++;
                    allowed += expected ? 1 : 0;
                }
            }
        }
        assertThat(probes).isEqualTo(4 * HOSTS.size() * 2);
        assertThat(allowed).as("both outcomes were tried").isBetween(1, probes - 1);
    }

    @Test
    void aFileWithAnErrorLeavesTheTableInForce() throws Exception {
        RuleSet deny = RuleSetTest.rules(Action.ALLOW, "deny 192.0.2.0/24");
        load(NftRenderer.render(deny, List.of("sgf-l1"), List.of("sgf-c1"), List.of(), List.of()));
        assertThat(connects("192.0.2.10", 443)).isFalse();
        String broken = NftRenderer.render(RuleSetTest.rules(Action.ALLOW), List.of("sgf-l1"), List.of("sgf-c1"), List.of(), List.of())
                .replace("    counter accept\n  }\n  chain inbound_tunnel", "    counter acept\n  }\n  chain inbound_tunnel");
        Result r = nft(broken);
        assertThat(r.exit).isNotZero();
        assertThat(r.output).contains("acept");
        assertThat(connects("192.0.2.10", 443)).as("the previous table, which denies it, is still in force").isFalse();
        assertThat(connects("198.51.100.10", 443)).isTrue();
    }

    @Test
    void theGatewaysOwnTrafficToAProtectedEndpointPassesWhateverTheRulesSay() throws Exception {
        RuleSet denyAll = RuleSetTest.rules(Action.DENY, "deny 192.0.2.0/24");
        load(NftRenderer.render(denyAll, List.of("sgf-l1"), List.of("sgf-c1"), List.of(Cidr.parse("192.0.2.10")), List.of()));
        assertThat(connectsFrom(GW, "192.0.2.10", 443)).as("the protected endpoint").isTrue();
        assertThat(connectsFrom(GW, "192.0.2.77", 443)).as("its neighbour, denied").isFalse();
        assertThat(connects("192.0.2.10", 443)).as("the LAN is judged by the rules alone").isFalse();
    }

    @Test
    void tenThousandRulesLoadAsAFewSetLookups() throws Exception {
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            specs.add((i % 3 == 0 ? "deny " : "allow ") + "10." + (i / 256 % 256) + "." + (i % 256) + ".0/24" + (i % 5 == 0 ? " tcp/443" : ""));
        }
        RuleSet set = RuleSetTest.rules(Action.DENY, specs.toArray(String[]::new));
        String script = NftRenderer.render(set, List.of("sgf-l1"), List.of("sgf-c1"), List.of(), List.of());
        load(script);
        String listed = sh("ip netns exec " + GW + " nft list chain inet sitegate outbound");
        assertThat(listed.lines().filter(l -> l.contains("@")).count()).as(listed).isLessThanOrEqualTo(8);
    }

    private static boolean connects(String host, int port) throws Exception {
        return connectsFrom(LAN, host, port);
    }

    private static boolean connectsFrom(String ns, String host, int port) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "timeout", "0.5", "bash", "-c", "exec 3<>/dev/tcp/" + host + "/" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0;
    }

    private static void load(String script) throws Exception {
        Result r = nft(script);
        assertThat(r.exit).as(r.output).isZero();
    }

    record Result(int exit, String output) {
    }

    private static Result nft(String script) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", GW, "nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static String sh(String cmd) throws Exception {
        Result r = run(cmd);
        if (r.exit != 0) {
            throw new IOException(cmd + ": " + r.output);
        }
        return r.output;
    }

    private static Result run(String cmd) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return new Result(p.exitValue(), out);
    }
}
