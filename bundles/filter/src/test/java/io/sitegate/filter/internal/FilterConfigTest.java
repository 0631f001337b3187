package io.sitegate.filter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.core.config.ConfigProblem;
import io.sitegate.filter.internal.FilterRule.Action;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FilterConfigTest {

    @Test
    void theShippedDefaultsAllowEverythingFromBrLan() {
        FilterConfig c = FilterConfig.from(Map.of());
        assertThat(c.rules().defaultAction()).isEqualTo(Action.ALLOW);
        assertThat(c.rules().rules()).isEmpty();
        assertThat(c.lan()).containsExactly("br-lan");
        assertThat(c.wan()).containsExactly("wwan0", "ppp0", "usb0");
    }

    @Test
    void anAllowListWithNamesPortsAndDenies() {
        FilterConfig c = FilterConfig.from(Map.of("default", "deny", "allow", "10.0.0.0/8, api.example.com tcp/443, 2001:db8::/32 udp/53",
                "deny", "10.66.0.0/16"));
        assertThat(c.rules().defaultAction()).isEqualTo(Action.DENY);
        assertThat(c.rules().rules()).extracting(FilterRule::toString)
                .containsExactly("allow 10.0.0.0/8", "allow api.example.com tcp/443", "allow 2001:db8::/32 udp/53", "deny 10.66.0.0/16");
    }

    @Test
    void everyBadRuleIsNamedInOnePassAndNothingElseIsLost() {
        List<ConfigProblem> problems = FilterConfig.problems(FilterConfig.PID, Map.of(
                "default", "maybe",
                "allow", "10.0.0.0/8, 10.1.2.3/16, *.example.com, 192.0.2.1 tcp/70000",
                "deny", "ads.example.com",
                "lan.interfaces", "br-lan, wwan0, eth0\"",
                "colour", "blue"));
        String all = problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
        assertThat(problems).hasSize(8);
        assertThat(all).contains("allow or deny", "did you mean 10.1.0.0/16", "wildcard names are not supported",
                "'192.0.2.1 tcp/70000'", "a name can only be allowed", "wwan0 is also a WAN interface", "an interface name", "colour");
    }

    @Test
    void aListOverTheMaximumIsRefusedWhole() {
        String rules = IntStream.range(0, 11).mapToObj(i -> "10.0." + i + ".0/24").collect(Collectors.joining(","));
        List<ConfigProblem> problems = FilterConfig.problems(FilterConfig.PID, Map.of("allow", rules, "maxRules", "10"));
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.reason()).contains("11 rules", "maxRules = 10"));
    }
}
