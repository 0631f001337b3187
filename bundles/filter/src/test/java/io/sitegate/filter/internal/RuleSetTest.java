package io.sitegate.filter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.filter.internal.FilterRule.Action;
import io.sitegate.filter.internal.FilterRule.Proto;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule grammar, its refusals, and the precedence: the most specific prefix wins, deny wins at equal specificity. */
class RuleSetTest {

    static RuleSet rules(Action defaultAction, String... specs) {
        List<FilterRule> r = new ArrayList<>();
        for (String s : specs) {
            String[] p = s.split(" ", 2);
            r.add(FilterRule.parse(Action.valueOf(p[0].toUpperCase()), p[1]));
        }
        return new RuleSet(defaultAction, r);
    }

    static RuleSet.Decision decide(RuleSet set, String ip, Proto proto, int port) throws Exception {
        return set.decide(InetAddress.getByName(ip), proto, port, n -> List.of());
    }

    @Test
    void theMostSpecificPrefixWins() throws Exception {
        RuleSet set = rules(Action.DENY, "allow 10.0.0.0/8", "deny 10.1.0.0/16", "allow 10.1.2.0/24");
        assertThat(decide(set, "10.9.9.9", Proto.TCP, 80).action()).isEqualTo(Action.ALLOW);
        assertThat(decide(set, "10.1.9.9", Proto.TCP, 80).action()).isEqualTo(Action.DENY);
        assertThat(decide(set, "10.1.2.9", Proto.TCP, 80).action()).isEqualTo(Action.ALLOW);
        assertThat(decide(set, "192.0.2.1", Proto.TCP, 80).action()).as("the default").isEqualTo(Action.DENY);
        assertThat(decide(set, "192.0.2.1", Proto.TCP, 80).rule()).isEmpty();
        assertThat(decide(set, "10.1.2.9", Proto.UDP, 53).rule().get().text()).isEqualTo("10.1.2.0/24");
    }

    @Test
    void denyWinsAtEqualSpecificityWhateverTheOrder() throws Exception {
        for (RuleSet set : List.of(rules(Action.ALLOW, "allow 10.1.0.0/16", "deny 10.1.0.0/16"),
                rules(Action.ALLOW, "deny 10.1.0.0/16", "allow 10.1.0.0/16"))) {
            assertThat(decide(set, "10.1.2.3", Proto.TCP, 443).action()).isEqualTo(Action.DENY);
            assertThat(decide(set, "10.1.2.3", Proto.TCP, 443).explain(set)).contains("a deny wins at equal specificity");
        }
    }

    @Test
    void aRuleForOnePortMatchesOnlyThatPortAndTheLessSpecificRulesDecideTheRest() throws Exception {
        RuleSet set = rules(Action.DENY, "allow 192.0.2.0/24 tcp/443", "deny 192.0.0.0/16", "allow 0.0.0.0/0 udp/53");
        assertThat(decide(set, "192.0.2.10", Proto.TCP, 443).action()).isEqualTo(Action.ALLOW);
        assertThat(decide(set, "192.0.2.10", Proto.TCP, 80).action()).isEqualTo(Action.DENY);
        assertThat(decide(set, "192.0.2.10", Proto.UDP, 53).action()).as("the /16 deny is more specific than /0")
                .isEqualTo(Action.DENY);
        assertThat(decide(set, "198.51.100.1", Proto.UDP, 53).action()).isEqualTo(Action.ALLOW);
        assertThat(decide(set, "198.51.100.1", Proto.UDP, 54).action()).isEqualTo(Action.DENY);
    }

    @Test
    void anAllowedNamesAddressesCountAsHosts() throws Exception {
        RuleSet set = rules(Action.DENY, "allow api.example.com tcp/443", "deny 203.0.113.0/24");
        Map<String, Collection<InetAddress>> known = Map.of("api.example.com", List.of(InetAddress.getByName("203.0.113.7")));
        assertThat(set.decide(InetAddress.getByName("203.0.113.7"), Proto.TCP, 443, known::get).action()).isEqualTo(Action.ALLOW);
        assertThat(set.decide(InetAddress.getByName("203.0.113.8"), Proto.TCP, 443, known::get).action()).isEqualTo(Action.DENY);
        assertThat(set.decide(InetAddress.getByName("203.0.113.7"), Proto.TCP, 80, known::get).action()).isEqualTo(Action.DENY);
        assertThat(set.names()).containsExactly("api.example.com");
    }

    @Test
    void ipv6PrefixesFollowTheSameRules() throws Exception {
        RuleSet set = rules(Action.ALLOW, "deny 2001:db8::/32", "allow 2001:db8:1::/48 tcp/443");
        assertThat(decide(set, "2001:db8:1::5", Proto.TCP, 443).action()).isEqualTo(Action.ALLOW);
        assertThat(decide(set, "2001:db8:2::5", Proto.TCP, 443).action()).isEqualTo(Action.DENY);
        assertThat(decide(set, "2001:db9::1", Proto.TCP, 443).action()).isEqualTo(Action.ALLOW);
        assertThat(decide(set, "10.0.0.1", Proto.TCP, 443).action()).as("an IPv4 address is not in an IPv6 prefix").isEqualTo(Action.ALLOW);
    }

    @Test
    void badRulesAreRefusedNamingTheRuleAndTheReason() {
        Map<String, String> bad = Map.ofEntries(
                Map.entry("10.0.0.0/33", "prefix length must be 0 to 32"),
                Map.entry("10.1.2.3/16", "host bits set: did you mean 10.1.0.0/16?"),
                Map.entry("300.1.1.1", "not an IPv4 or IPv6 address"),
                Map.entry("2001:db8::/129", "0 to 128"),
                Map.entry("10.0.0.0/8 tcp/0", "port '0' must be 1 to 65535"),
                Map.entry("10.0.0.0/8 tcp/65536", "must be 1 to 65535"),
                Map.entry("10.0.0.0/8 tcp/90-80", "is empty"),
                Map.entry("10.0.0.0/8 icmp", "must be tcp or udp"),
                Map.entry("*.example.com", "wildcard names are not supported"),
                Map.entry("exa_mple.com", "neither a prefix nor a host name"),
                Map.entry("10.0.0.0/8 tcp/443 extra", "write <prefix|name>"),
                Map.entry("", "write <prefix|name>"));
        bad.forEach((spec, reason) -> assertThatThrownBy(() -> FilterRule.parse(Action.ALLOW, spec)).as(spec)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason).hasMessageContaining("'" + spec));
        assertThatThrownBy(() -> FilterRule.parse(Action.DENY, "ads.example.com"))
                .hasMessageContaining("a name can only be allowed");
    }

    @Test
    void groupsAreLookedUpMostSpecificFirstDeniesFirst() {
        RuleSet set = rules(Action.DENY, "allow 10.0.0.0/8", "allow 10.1.2.0/24 tcp/443", "deny 10.1.2.0/24", "deny 10.0.0.0/16",
                "allow api.example.com", "deny 192.0.2.1");
        assertThat(set.groups(false).keySet()).containsExactly("deny_v4_32", "fqdn_allow_v4_32", "deny_v4_24",
                "allow_v4_24_tcp", "deny_v4_16", "allow_v4_8");
    }

    @Test
    void eachAllowedNameKnowsItsSetsAndOtherNamesHaveNone() {
        RuleSet set = rules(Action.DENY, "allow api.example.com tcp/443", "allow api.example.com udp/53", "allow other.example.com",
                "allow 10.0.0.0/8");
        var sets = FilterComponent.nameSets(set);
        assertThat(sets).containsOnlyKeys("api.example.com", "other.example.com");
        assertThat(sets.get("api.example.com").v4()).containsExactlyInAnyOrder("fqdn_allow_v4_32_tcp_443", "fqdn_allow_v4_32_udp_53");
        assertThat(sets.get("api.example.com").v6()).containsExactlyInAnyOrder("fqdn_allow_v6_128_tcp_443", "fqdn_allow_v6_128_udp_53");
        assertThat(sets.get("other.example.com").v4()).containsExactly("fqdn_allow_v4_32");
    }
}
