package io.sitegate.dns.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.dns.DnsFirewall;
import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.FirewallMode;
import io.sitegate.dns.FirewallRule;
import io.sitegate.dns.FirewallVerdict;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DnsTextTest {

    @Test
    void millisShowsOneDecimalBelowTenAndNothingMeasuredAsDash() {
        assertThat(DnsText.millis(Duration.ZERO)).isEqualTo("-");
        assertThat(DnsText.millis(null)).isEqualTo("-");
        assertThat(DnsText.millis(Duration.ofNanos(400_000))).isEqualTo("0.4");
        assertThat(DnsText.millis(Duration.ofNanos(9_960_000))).isEqualTo("10.0");
        assertThat(DnsText.millis(Duration.ofMillis(23))).isEqualTo("23");
        assertThat(DnsText.millis(Duration.ofNanos(1_499_600_000L))).isEqualTo("1500");
    }

    @Test
    void percentUsesADotWhateverTheLocale() {
        assertThat(DnsText.percent(0)).isEqualTo("0.0 %");
        assertThat(DnsText.percent(0.875)).isEqualTo("87.5 %");
        assertThat(DnsText.percent(1)).isEqualTo("100.0 %");
    }

    @Test
    void kibRoundsButNeverShowsZeroForSomethingHeld() {
        assertThat(DnsText.kib(0)).isEqualTo("0 KiB");
        assertThat(DnsText.kib(-5)).isEqualTo("0 KiB");
        assertThat(DnsText.kib(100)).isEqualTo("1 KiB");
        assertThat(DnsText.kib(8_388_608)).isEqualTo("8192 KiB");
    }

    @Test
    void countAgreesInNumber() {
        assertThat(DnsText.count(0, "entry", "entries")).isEqualTo("0 entries");
        assertThat(DnsText.count(1, "entry", "entries")).isEqualTo("1 entry");
        assertThat(DnsText.count(2, "rule", "rules")).isEqualTo("2 rules");
    }

    @Test
    void rateHasOneDecimal() {
        assertThat(DnsText.rate(3.25)).isEqualTo("3.3");
        assertThat(DnsText.rate(0)).isEqualTo("0.0");
    }

    @Test
    void orDashForEmptyText() {
        assertThat(DnsText.orDash(null)).isEqualTo("-");
        assertThat(DnsText.orDash(" ")).isEqualTo("-");
        assertThat(DnsText.orDash("timeout")).isEqualTo("timeout");
    }

    @Test
    void patternsAreDescribed() {
        assertThat(DnsText.covers("example.com")).isEqualTo("name and below");
        assertThat(DnsText.covers("=www.example.com")).isEqualTo("this name only");
        assertThat(DnsText.rule(new FirewallRule("ads.example", false, "operator", 3))).isEqualTo("deny ads.example (operator)");
    }

    @Test
    void verdictNamesTheRuleOrTheMode() {
        FirewallRule allow = new FirewallRule("example.com", true, "config", 0);
        assertThat(DnsText.verdict(new FirewallVerdict(true, Optional.of(allow)), FirewallMode.DENY_LIST))
                .isEqualTo("allowed by allow example.com (config)");
        assertThat(DnsText.verdict(new FirewallVerdict(false, Optional.empty()), FirewallMode.ALLOW_ONLY))
                .isEqualTo("blocked (no rule matches; mode allow only)");
        assertThat(DnsText.mode(FirewallMode.DENY_LIST)).startsWith("deny list");
        assertThat(DnsText.mode(FirewallMode.ALLOW_ONLY)).startsWith("allow only");
    }

    @Test
    void normalizeIgnoresCaseSpacesAndTheFinalDot() {
        assertThat(DnsText.normalize(" Example.COM. ")).isEqualTo("example.com");
        assertThat(DnsText.normalize("=WWW.example.com")).isEqualTo("=www.example.com");
        assertThat(DnsText.normalize(".")).isEqualTo(".");
    }

    @Test
    void operatorRulesFindsOnlyOperatorRulesOfThatKindAndPattern() {
        List<FirewallRule> rules = List.of(
                new FirewallRule("example.com", false, "config", 0),
                new FirewallRule("example.com", true, "operator", 0),
                new FirewallRule("example.com", false, "operator", 0),
                new FirewallRule("=example.com", false, "operator", 0));
        assertThat(DnsText.operatorRules(rules, "EXAMPLE.com.", false)).containsExactly(rules.get(2));
        assertThat(DnsText.operatorRules(rules, "example.com", true)).containsExactly(rules.get(1));
        assertThat(DnsText.operatorRules(rules, "example.org", true)).isEmpty();
    }

    @Test
    void anAbsentServiceIsReportedAsTheForwarderNotRunning() {
        assertThatThrownBy(() -> DnsText.require((DnsForwarder) null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running").hasMessageContaining("sitegate:status");
        assertThatThrownBy(() -> DnsText.require((DnsFirewall) null)).isInstanceOf(IllegalStateException.class)
                .hasMessage(DnsText.NOT_RUNNING);
    }
}
