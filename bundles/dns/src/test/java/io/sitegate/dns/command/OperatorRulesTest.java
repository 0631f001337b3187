package io.sitegate.dns.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.dns.FirewallRule;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class OperatorRulesTest {
    private final FakeFirewall firewall = new FakeFirewall();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void addingSaysWhatWasAddedThatItIsKeptAndTheVerdict() {
        OperatorRules.add(firewall, "ads.example", false, out);

        assertThat(firewall.rules).containsExactly(new FirewallRule("ads.example", false, "operator", 0));
        assertThat(printed()).contains("Added deny ads.example (name and below)", "kept across restarts",
                "Now ads.example is blocked by deny ads.example (operator).");
    }

    @Test
    void anExactPatternIsCheckedWithoutItsEqualsSign() {
        OperatorRules.add(firewall, "=www.example.com", true, out);

        assertThat(printed()).contains("Added allow =www.example.com (this name only)", "Now www.example.com is allowed");
    }

    @Test
    void addingARuleAlreadyInForceChangesNothing() {
        firewall.deny("ads.example");

        OperatorRules.add(firewall, "ADS.example.", false, out);

        assertThat(firewall.rules).hasSize(1);
        assertThat(printed()).contains("Already in force: deny ads.example (operator). Nothing changed.");
    }

    @Test
    void anInvalidPatternFailsWithTheFirewallsMessage() {
        assertThatThrownBy(() -> OperatorRules.add(firewall, "not valid", true, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'not valid' is not a domain name");
        assertThat(printed()).isEmpty();
    }

    @Test
    void removingSaysWhatWasRemoved() {
        firewall.allow("example.com");

        OperatorRules.remove(firewall, "example.com", true, out);

        assertThat(firewall.rules).isEmpty();
        assertThat(printed()).contains("Removed allow example.com. The change is kept across restarts.", "Now example.com is allowed");
    }

    @Test
    void removingWithTheWrongCommandRemovesNothingAndNamesTheRightOne() {
        firewall.deny("example.com");

        OperatorRules.remove(firewall, "example.com", true, out);

        assertThat(firewall.removeCalls).isZero();
        assertThat(firewall.rules).hasSize(1);
        assertThat(printed()).contains("No operator allow rule example.com, but an operator deny rule",
                "sitegate:dns-deny --remove example.com", "Nothing changed.");
    }

    @Test
    void aRuleFromConfigurationIsNotRemovedAndItsSourceIsNamed() {
        firewall.rules.add(new FirewallRule("example.com", false, "config", 7));

        OperatorRules.remove(firewall, "example.com", false, out);

        assertThat(firewall.removeCalls).isZero();
        assertThat(printed()).contains("No operator deny rule example.com. Nothing changed.", "comes from config");
    }

    @Test
    void whenTheFirewallRemovesBothKindsOfAPatternBothAreReported() {
        firewall.allow("example.com");
        firewall.deny("example.com");

        OperatorRules.remove(firewall, "example.com", false, out);

        assertThat(printed()).contains("Removed deny example.com and allow example.com.");
    }
}
