package io.sitegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyRefusalTest {
    @Test
    void quoteCapsAndEscapes() {
        assertThat(PolicyRefusal.quote("abc")).isEqualTo("abc");
        assertThat(PolicyRefusal.quote("a\u001b[2Jb\nc")).isEqualTo("a\\x1b[2Jb\\x0ac");
        assertThat(PolicyRefusal.quote("x".repeat(10_000))).hasSize(PolicyRefusal.MAX_QUOTE + 3).endsWith("...");
        assertThat(PolicyRefusal.quote("\u202eevil")).isEqualTo("\\u202eevil");
        assertThat(PolicyRefusal.quote(null)).isEqualTo("null");
    }

    @Test
    void aQuoteNeverSplitsASurrogatePair() {
        String s = "x".repeat(PolicyRefusal.MAX_QUOTE - 1) + "\ud83d\ude00tail";
        assertThat(PolicyRefusal.quote(s)).doesNotContain("\\ud83d").endsWith("...");
    }

    @Test
    void aReasonIsBoundedAndHasNoRawControls() {
        PolicyRefusal r = new PolicyRefusal(PolicyRefusal.Code.SCHEMA, "bad\r\nline " + "y".repeat(5000));
        assertThat(r.reason()).hasSize(PolicyRefusal.MAX_REASON).doesNotContain("\r", "\n").startsWith("bad??line");
        assertThat(r.toString()).startsWith("SCHEMA: bad");
    }
}
