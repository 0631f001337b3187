package io.sitegate.filter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.filter.internal.FilterRule.Action;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftRendererTest {

    @Test
    void oneTableReplacedAsAWholeWithOneSetPerGroupInLookupOrder() throws Exception {
        RuleSet set = RuleSetTest.rules(Action.DENY, "allow 10.0.0.0/8", "allow 10.1.2.0/24 tcp/443", "deny 10.1.2.0/24",
                "allow 10.1.2.0/24 tcp/440-450", "allow 10.1.2.0/24 tcp/8000", "allow 10.9.2.0/24 tcp",
                "allow api.example.com tcp/443", "deny 2001:db8::/32");
        String nft = NftRenderer.render(set, List.of("br-lan"), List.of("wwan0"), List.of(Cidr.parse("198.51.100.1")),
                List.of(new NftRenderer.Known("api.example.com", InetAddress.getByName("203.0.113.7"), Duration.ofSeconds(42)),
                        new NftRenderer.Known("other.example.com", InetAddress.getByName("203.0.113.8"), Duration.ofSeconds(42))));
        assertThat(nft).startsWith("# Sitegate").contains("table inet sitegate {}\ndelete table inet sitegate\ntable inet sitegate {\n");
        int fqdn = nft.indexOf("ip daddr @fqdn_allow_v4_32_tcp_443 meta l4proto tcp th dport 443 counter accept");
        int deny24 = nft.indexOf("ip daddr @deny_v4_24 counter drop");
        int allow24 = nft.indexOf("ip daddr . tcp dport @allow_v4_24_tcp counter accept");
        int allow8 = nft.indexOf("ip daddr @allow_v4_8 counter accept");
        assertThat(List.of(fqdn, deny24, allow24, allow8)).allMatch(i -> i > 0).isSorted();
        assertThat(nft).contains("ip6 daddr @deny_v6_32 counter drop");
        assertThat(nft).as("one prefix's port ranges merged").contains("elements = { 10.1.2.0/24 . 440-450, 10.1.2.0/24 . 8000, 10.9.2.0/24 . 1-65535 }");
        assertThat(nft).contains("elements = { 203.0.113.7 timeout 42s }").doesNotContain("203.0.113.8");
        assertThat(nft).contains("    counter drop\n  }\n  chain inbound_tunnel");
        assertThat(nft).contains("iifname { \"br-lan\" } jump outbound", "iifname { \"wwan0\" } jump inbound_wan", "iifname { \"wwan0\" } drop",
                "elements = { 198.51.100.1/32 }",
                "oifname { \"wwan0\" } ip daddr @protected_v4 accept\n    oifname { \"wwan0\" } ip6 daddr @protected_v6 accept\n"
                        + "    oifname { \"wwan0\" } jump outbound");
    }
}
