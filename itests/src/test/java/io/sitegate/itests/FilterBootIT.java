package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.AfterClass;
import org.junit.Test;

/**
 * The boot race of an allow-list filter, with the built distribution started as a gateway starts it
 * (bin/sitegate-launch, which runs bin/sitegate-filter-boot first): this machine's root namespace is the gateway, a
 * LAN client namespace behind veth sgb-l1 tries every 100 ms to reach a cloud host the rules do not allow, from
 * before the launch until the filter has loaded its rules. Not one connection may get through. The same client
 * reaches that host while no Sitegate table is loaded, so a leak would be seen.
 */
public class FilterBootIT {
    static final String LAN = "sgb-lan";
    static final String CLOUD = "sgb-cloud";
    static final String HOST = "203.0.113.77";
    private static LaunchedGateway gateway;
    private static String forwarding;

    @AfterClass
    public static void teardown() throws Exception {
        if (gateway != null) {
            gateway.stopQuietly();
        }
        sh("nft delete table inet sitegate 2>/dev/null; for n in " + LAN + " " + CLOUD + "; do ip netns pids $n 2>/dev/null | xargs -r kill;"
                + " ip netns del $n 2>/dev/null; done; ip link del sgb-l1 2>/dev/null; ip link del sgb-c1 2>/dev/null;"
                + " ip route del " + HOST + "/32 2>/dev/null; true");
        if (forwarding != null) {
            sh("sysctl -qw net.ipv4.ip_forward=" + forwarding);
        }
    }

    @Test
    public void anAllowListNeverLetsTheLanOutWhileTheGatewayStarts() throws Exception {
        assumeTrue("network namespaces and nft need root", "root".equals(System.getProperty("user.name")));
        teardown();
        forwarding = sh("sysctl -n net.ipv4.ip_forward").strip();
        sh("ip netns add " + LAN + " && ip netns add " + CLOUD
                + " && ip link add sgb-l1 type veth peer name sgb-l0 netns " + LAN
                + " && ip link add sgb-c1 type veth peer name sgb-c0 netns " + CLOUD
                + " && ip addr add 10.79.0.1/24 dev sgb-l1 && ip link set sgb-l1 up"
                + " && ip addr add 10.80.0.1/24 dev sgb-c1 && ip link set sgb-c1 up"
                + " && ip route add " + HOST + "/32 via 10.80.0.2 && sysctl -qw net.ipv4.ip_forward=1"
                + " && ip -n " + LAN + " link set lo up && ip -n " + LAN + " addr add 10.79.0.2/24 dev sgb-l0 && ip -n " + LAN
                + " link set sgb-l0 up && ip -n " + LAN + " route add default via 10.79.0.1"
                + " && ip -n " + CLOUD + " link set lo up && ip -n " + CLOUD + " addr add 10.80.0.2/24 dev sgb-c0 && ip -n " + CLOUD
                + " link set sgb-c0 up && ip -n " + CLOUD + " addr add " + HOST + "/32 dev lo && ip -n " + CLOUD
                + " route add 10.79.0.0/24 via 10.80.0.1 && echo ok");
        new ProcessBuilder("ip", "netns", "exec", CLOUD, "socat", "TCP-LISTEN:443,fork,reuseaddr", "SYSTEM:true")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(300);

        gateway = LaunchedGateway.unpack("filter-boot");
        Files.writeString(gateway.home.resolve("etc/io.sitegate.filter.cfg"), String.join("\n", "default = deny",
                "allow = 198.51.100.0/24 tcp/443", "lan.interfaces = sgb-l1", "wan.interfaces = sgb-c1", ""));
        // the first start installs the filter (it is not in the default features yet); the machine then "reboots"
        gateway.start();
        gateway.awaitShell("the shell", "sitegate:status", out -> out.contains("Ready"));
        gateway.ssh("feature:install sitegate-filter");
        gateway.awaitShell("the filter's rules", "sitegate:filter-status", out -> out.contains("allow list"));
        gateway.stop();
        sh("nft delete table inet sitegate");
        assertTrue("with no Sitegate table the LAN reaches the host: a leak would be seen", connects());

        AtomicBoolean probing = new AtomicBoolean(true);
        AtomicInteger tries = new AtomicInteger();
        AtomicInteger leaks = new AtomicInteger();
        AtomicInteger before = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong launched = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        Thread prober = new Thread(() -> {
            while (probing.get()) {
                try {
                    long started = System.nanoTime();
                    boolean counted = started > launched.get();
                    tries.addAndGet(counted ? 1 : 0);
                    if (connects()) {
                        (counted ? leaks : before).incrementAndGet();
                    }
                    Thread.sleep(100);
                } catch (Exception e) {
                    return;
                }
            }
        });
        prober.start();
        Thread.sleep(500);
        // bin/sitegate-launch start returns once the boot table is loaded and the JVM is launched: from then on
        // nothing may get out (before it, nothing of Sitegate runs: the prober's successes then prove it can see one)
        gateway.start();
        launched.set(System.nanoTime());
        gateway.awaitShell("the filter's rules", "sitegate:filter-status", out -> out.contains("allow list"));
        Thread.sleep(2_000);
        probing.set(false);
        prober.join(5_000);
        System.out.println("FilterBootIT: " + before.get() + " got through before the launch; " + tries.get()
                + " tries while the gateway started, " + leaks.get() + " got through");
        assertTrue("before the launch the prober gets through", before.get() > 0);
        assertTrue("the prober ran through the start: " + tries.get(), tries.get() >= 5);
        assertEquals("connections that got out while the gateway started", 0, leaks.get());
        String rules = sh("nft list chain inet sitegate outbound");
        assertTrue("the configured rules replaced the boot table: " + rules, rules.contains("ip daddr . tcp dport @allow_v4_24_tcp"));
    }

    private static boolean connects() throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", LAN, "timeout", "0.3", "bash", "-c", "exec 3<>/dev/tcp/" + HOST + "/443")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        return p.exitValue() == 0;
    }

    private static String sh(String cmd) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
