package io.sitegate.filter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Access windows with an injected clock: open, close, expire on time, and the time left kept across a restart. */
class AccessWindowsTest {
    Instant now = Instant.parse("2026-12-04T12:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    final List<String> kernel = new ArrayList<>();
    final AccessWindows.Kernel fake = new AccessWindows.Kernel() {
        @Override
        public void add(AccessWindow w, Duration left) {
            kernel.add("add " + w.set() + " " + w.element() + " " + left.toSeconds() + "s");
        }

        @Override
        public void remove(AccessWindow w) {
            kernel.add("remove " + w.set() + " " + w.element());
        }
    };

    @Test
    void aWindowOpensForItsTimeAndClosesOnTime() throws Exception {
        MemoryStore store = new MemoryStore();
        AccessWindows windows = new AccessWindows(store, clock);
        AccessWindow w = windows.open(Cidr.parse("198.51.100.7"), InetAddress.getByName("10.77.0.2"), 443, AccessWindow.Via.TUNNEL,
                Duration.ofMinutes(30), "operator 'tech'", fake);
        assertThat(kernel).containsExactly("add access_lan_tunnel_v4 198.51.100.7/32 . 10.77.0.2 . 443 1800s");
        assertThat(windows.list()).containsExactly(w);
        assertThat(windows.nextExpiry()).contains(Duration.ofMinutes(30));

        now = now.plus(Duration.ofMinutes(29));
        assertThat(windows.expire()).isEmpty();
        now = now.plus(Duration.ofMinutes(1));
        assertThat(windows.expire()).containsExactly(w);
        assertThat(windows.list()).isEmpty();
        assertThat(new AccessWindows(store, clock).list()).as("the expiry is persisted").isEmpty();
    }

    @Test
    void aRestartPutsBackExactlyTheTimeLeft() throws Exception {
        MemoryStore store = new MemoryStore();
        AccessWindows windows = new AccessWindows(store, clock);
        AccessWindow ssh = windows.open(Cidr.parse("203.0.113.0/24"), null, 8101, AccessWindow.Via.WAN, Duration.ofHours(2), "policy group:x v7", fake);
        now = now.plus(Duration.ofMinutes(45));

        AccessWindows after = new AccessWindows(store, clock);

        assertThat(after.list()).containsExactly(ssh);
        assertThat(after.list().get(0).left(now)).isEqualTo(Duration.ofMinutes(75));
        assertThat(ssh.set()).isEqualTo("access_gw_wan_v4");
        assertThat(ssh.element()).isEqualTo("203.0.113.0/24 . 8101");
        String nft = NftRenderer.render(new RuleSet(FilterRule.Action.ALLOW, List.of()), List.of("br-lan"), List.of("wwan0"), List.of(),
                List.of(), after.list(), now, 8101);
        assertThat(nft).contains("elements = { 203.0.113.0/24 . 8101 timeout 4500s }");
    }

    @Test
    void closingRemovesTheElementFirst() throws Exception {
        AccessWindows windows = new AccessWindows(new MemoryStore(), clock);
        AccessWindow w = windows.open(Cidr.parse("2001:db8::/64"), InetAddress.getByName("2001:db8:77::2"), 22, AccessWindow.Via.TUNNEL,
                Duration.ofSeconds(90), "operator 'tech'", fake);
        assertThat(windows.close(w.id(), fake)).contains(w);
        assertThat(kernel).last().isEqualTo("remove access_lan_tunnel_v6 2001:db8:0:0:0:0:0:0/64 . 2001:db8:77:0:0:0:0:2 . 22");
        assertThat(windows.close(w.id(), fake)).isEmpty();
    }

    @Test
    void badWindowsAreRefusedWithTheReason() throws Exception {
        AccessWindows windows = new AccessWindows(new MemoryStore(), clock);
        InetAddress lan = InetAddress.getByName("10.77.0.2");
        assertThatThrownBy(() -> windows.open(Cidr.parse("198.51.100.7"), lan, 443, AccessWindow.Via.TUNNEL, Duration.ofDays(8), "x", fake))
                .hasMessageContaining("from 1 s to 7 days");
        assertThatThrownBy(() -> windows.open(Cidr.parse("198.51.100.7"), lan, 443, AccessWindow.Via.TUNNEL, Duration.ZERO, "x", fake))
                .hasMessageContaining("from 1 s");
        assertThatThrownBy(() -> windows.open(Cidr.parse("198.51.100.7"), lan, 70000, AccessWindow.Via.TUNNEL, Duration.ofMinutes(1), "x", fake))
                .hasMessageContaining("1 to 65535");
        assertThatThrownBy(() -> windows.open(Cidr.parse("2001:db8::/64"), lan, 443, AccessWindow.Via.TUNNEL, Duration.ofMinutes(1), "x", fake))
                .hasMessageContaining("not the same IP family");
        assertThat(kernel).isEmpty();
    }

    @Test
    void aConfigurationsWindowsAreOpenedOnceAndClosedWhenItDropsThem() throws Exception {
        MemoryStore store = new MemoryStore();
        AccessWindows windows = new AccessWindows(store, clock);
        AccessWindow listed = FilterConfig.window("198.51.100.7/32 10.77.0.2:443 until 2026-12-04T14:00:00Z");
        AccessWindow ssh = FilterConfig.window("203.0.113.0/24 ssh:8101 until 2026-12-04T12:30:00Z wan");
        AccessWindow past = FilterConfig.window("198.51.100.8/32 10.77.0.2:443 until 2026-12-04T11:00:00Z");

        AccessWindows.Reconciled first = windows.reconcile(List.of(listed, ssh, past), fake);
        assertThat(first.opened()).extracting(AccessWindow::id).containsExactlyInAnyOrder(listed.id(), ssh.id());
        assertThat(kernel).containsExactlyInAnyOrder("add access_lan_tunnel_v4 198.51.100.7/32 . 10.77.0.2 . 443 7200s",
                "add access_gw_wan_v4 203.0.113.0/24 . 8101 1800s");
        // the same list again, after a restart: nothing changes, the time left is what it was
        now = now.plus(Duration.ofMinutes(10));
        AccessWindows again = new AccessWindows(store, clock);
        assertThat(again.reconcile(List.of(listed, ssh, past), fake)).isEqualTo(new AccessWindows.Reconciled(List.of(), List.of()));
        assertThat(again.list()).hasSize(2);
        // an operator's window is not the configuration's to close
        AccessWindow mine = again.open(Cidr.parse("192.0.2.1"), null, 8101, AccessWindow.Via.TUNNEL, Duration.ofMinutes(5), "operator 'tech'", fake);
        AccessWindows.Reconciled dropped = again.reconcile(List.of(ssh), fake);
        assertThat(dropped.closed()).extracting(AccessWindow::id).containsExactly(listed.id());
        assertThat(again.list()).extracting(AccessWindow::id).containsExactlyInAnyOrder(ssh.id(), mine.id());
    }

    @Test
    void aConfigurationsWindowIsCheckedWhenItIsRead() {
        for (String bad : List.of("198.51.100.7/32 10.77.0.2:443", "198.51.100.7/32 10.77.0.0/24:443 until 2026-12-04T14:00:00Z",
                "198.51.100.7/32 10.77.0.2:0 until 2026-12-04T14:00:00Z", "198.51.100.7/32 10.77.0.2:443 until tomorrow",
                "2001:db8::/64 10.77.0.2:443 until 2026-12-04T14:00:00Z", "198.51.100.7/32 10.77.0.2:443 until 2026-12-04T14:00:00Z tunnel")) {
            assertThat(FilterConfig.problems(FilterConfig.PID, java.util.Map.of("access", bad))).as(bad).singleElement()
                    .satisfies(p -> assertThat(p.property()).isEqualTo("access"));
        }
    }
}
