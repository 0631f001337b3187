package io.sitegate.filter.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.ForwarderStatus;
import io.sitegate.dns.LookupResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** filter-test resolves a name through the gateway's forwarder, as a LAN client's query goes. */
class FilterTestCommandTest {

    private final List<String> asked = new ArrayList<>();

    private DnsForwarder forwarder(Map<String, LookupResult> answers) {
        return new DnsForwarder() {
            @Override
            public ForwarderStatus status() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int flushCache() {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<LookupResult> lookup(String name, String type, Duration timeout) {
                asked.add(name + " " + type);
                return CompletableFuture.completedFuture(answers.get(type));
            }
        };
    }

    @Test
    void aNameGetsTheAddressesTheForwarderGivesTheLan() throws Exception {
        DnsForwarder dns = forwarder(Map.of(
                "A", new LookupResult("NOERROR", List.of("app.corp.example.\t30\tIN\tA\t10.99.0.10"), "upstream udp://10.99.0.53:53", Duration.ofMillis(3)),
                "AAAA", new LookupResult("NOERROR", List.of("app.corp.example.\t30\tIN\tAAAA\t2001:db8::10"), "cache", Duration.ZERO)));
        assertThat(FilterTestCommand.resolve("app.corp.example", dns))
                .containsExactly(InetAddress.getByName("10.99.0.10"), InetAddress.getByName("2001:db8::10"));
        assertThat(asked).containsExactly("app.corp.example A", "app.corp.example AAAA");
    }

    @Test
    void anAddressIsNotLookedUp() throws Exception {
        DnsForwarder dns = forwarder(Map.of());
        assertThat(FilterTestCommand.resolve("10.99.0.30", dns)).containsExactly(InetAddress.getByName("10.99.0.30"));
        assertThat(FilterTestCommand.resolve("2001:db8::1", dns)).containsExactly(InetAddress.getByName("2001:db8::1"));
        assertThat(asked).isEmpty();
    }

    @Test
    void aNameTheForwarderRefusesSaysWhy() {
        LookupResult denied = new LookupResult("NXDOMAIN", List.of(), "firewall deny ads.example.net (config)", Duration.ZERO);
        DnsForwarder dns = forwarder(Map.of("A", denied, "AAAA", denied));
        assertThatThrownBy(() -> FilterTestCommand.resolve("ads.example.net", dns))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("A NXDOMAIN (firewall deny ads.example.net (config))")
                .hasMessageContaining("sitegate:dns-lookup ads.example.net");
    }
}
