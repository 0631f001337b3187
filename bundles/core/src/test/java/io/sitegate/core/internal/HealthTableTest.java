package io.sitegate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.core.Health;
import io.sitegate.core.HealthState;
import io.sitegate.core.Registration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthTableTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00Z"));
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private final HealthTable table = new HealthTable(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }, (prev, cur) -> posted.add(describe(prev) + "->" + describe(cur)));

    @AfterEach
    void close() {
        table.close();
    }

    private static String describe(Health h) {
        return h == null ? "none" : h.capability() + ":" + h.state();
    }

    @Test
    void reportsAreListedInNameOrder() {
        table.report(1, "modem/wan0", HealthState.UP, "registered");
        table.report(1, "dns", HealthState.DOWN, "no upstream");

        assertThat(table.snapshot().keySet()).containsExactly("dns", "modem/wan0");
        assertThat(table.get("dns")).get().extracting(Health::reason).isEqualTo("no upstream");
    }

    @Test
    void sinceChangesOnlyWithTheState() {
        table.report(1, "dns", HealthState.DEGRADED, "backup upstream");
        Instant first = now.get();
        now.set(first.plusSeconds(30));
        table.report(1, "dns", HealthState.DEGRADED, "backup upstream 2");
        assertThat(table.get("dns").orElseThrow().since()).isEqualTo(first);
        table.report(1, "dns", HealthState.UP, "ok");
        assertThat(table.get("dns").orElseThrow().since()).isEqualTo(first.plusSeconds(30));
    }

    @Test
    void listenersSeeEveryChangeInOrderAndRepeatsAreIgnored() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Registration r = table.addListener((prev, cur) -> seen.add(describe(prev) + "->" + describe(cur)));
        table.report(1, "dns", HealthState.UP, "ok");
        table.report(1, "dns", HealthState.UP, "ok");
        table.report(1, "dns", HealthState.DOWN, "no upstream");
        table.withdraw("dns");
        awaitSize(seen, 3);

        assertThat(seen).containsExactly("none->dns:UP", "dns:UP->dns:DOWN", "dns:DOWN->none");
        assertThat(posted).containsExactlyElementsOf(seen);

        r.close();
        table.report(1, "dns", HealthState.UP, "back");
        awaitSize(posted, 4);
        assertThat(seen).hasSize(3);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        table.addListener((p, c) -> {
            throw new IllegalStateException("boom");
        });
        table.addListener((p, c) -> seen.add(describe(c)));
        table.report(1, "dns", HealthState.UP, "ok");
        awaitSize(seen, 1);
        assertThat(seen).containsExactly("dns:UP");
    }

    @Test
    void withdrawAllRemovesOnlyTheOwnersEntries() {
        table.report(1, "modem/wan0", HealthState.UP, "");
        table.report(2, "dns", HealthState.UP, "");
        table.withdrawAll(1);
        assertThat(table.snapshot().keySet()).containsExactly("dns");
    }

    @Test
    void invalidNamesAreRefused() {
        assertThatThrownBy(() -> table.report(1, "DNS server", HealthState.UP, ""))
                .hasMessageContaining("invalid capability name 'DNS server'");
        assertThatThrownBy(() -> table.report(1, "dns", null, "")).hasMessageContaining("state of 'dns' is null");
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50); // let any unexpected extra delivery arrive before asserting
    }
}
