package io.sitegate.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void printableTextIsUnchangedAndNotCopied() {
        String s = "www.example.com Grüße, 東京, مرحبا, +4917012345678 😀";
        assertThat(SafeText.escape(s)).isSameAs(s);
        assertThat(SafeText.isSafe(s)).isTrue();
    }

    @Test
    void terminalEscapeSequencesBecomeVisible() {
        assertThat(SafeText.escape("evil\u001b[2J\u001b]0;pwned\u0007.example"))
                .isEqualTo("evil\\x1b[2J\\x1b]0;pwned\\x07.example")
                .doesNotContain("\u001b");
    }

    @Test
    void forgedLogLinesStayOnOneLine() {
        assertThat(SafeText.escape("a\r\n2026-12-04 INFO fake line")).isEqualTo("a\\x0d\\x0a2026-12-04 INFO fake line");
        assertThat(SafeText.escape("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
    }

    @ParameterizedTest
    @CsvSource({
        "0, \\x00", "7, \\x07", "8, \\x08", "9, \\x09", "10, \\x0a", "13, \\x0d", "27, \\x1b", "31, \\x1f",
        "127, \\x7f", "128, \\x80", "155, \\x9b", "159, \\x9f",
        "1564, \\u061c", "8206, \\u200e", "8207, \\u200f",
        "8234, \\u202a", "8238, \\u202e", "8294, \\u2066", "8297, \\u2069",
    })
    void controlsAreEscaped(int codePoint, String expected) {
        assertThat(SafeText.escape("[" + (char) codePoint + "]")).isEqualTo("[" + expected + "]");
        assertThat(SafeText.isSafe(String.valueOf((char) codePoint))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"32", "126", "160", "233", "8203", "8239", "8293", "8298", "65279"})
    void neighboursOfTheEscapedRangesAreKept(int codePoint) {
        String s = String.valueOf((char) codePoint);
        assertThat(SafeText.escape(s)).isEqualTo(s);
    }

    @Test
    void backslashIsDoubledSoEscapesAreUnambiguous() {
        assertThat(SafeText.escape("a\\x1b")).isEqualTo("a\\\\x1b");
        assertThat(SafeText.escape("a\\x1b")).isNotEqualTo(SafeText.escape("a\u001b"));
    }

    @Test
    void unpairedSurrogatesAreEscapedPairsKept() {
        assertThat(SafeText.escape("x\ud800y")).isEqualTo("x\\ud800y");
        assertThat(SafeText.escape("x\udc00")).isEqualTo("x\\udc00");
        assertThat(SafeText.escape("\ud83d\ude00")).isEqualTo("\ud83d\ude00");
    }

    @Test
    void nullAndEmpty() {
        assertThat(SafeText.escape(null)).isEqualTo("null");
        assertThat(SafeText.escape("")).isEmpty();
        assertThat(SafeText.isSafe(null)).isTrue();
    }

    @Test
    void lazyEscapesOnlyWhenFormatted() {
        StringBuilder text = new StringBuilder("a");
        Object lazy = SafeText.lazy(text);
        text.append('\u001b');
        assertThat(lazy.toString()).isEqualTo("a\\x1b");
    }
}
