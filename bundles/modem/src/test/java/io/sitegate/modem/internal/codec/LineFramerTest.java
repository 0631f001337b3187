package io.sitegate.modem.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {

    private final List<String> events = new ArrayList<>();
    private final LineFramer framer = new LineFramer(64, new LineFramer.Sink() {
        @Override
        public void onLine(String line) {
            events.add(line);
        }

        @Override
        public void onPrompt() {
            events.add("<PROMPT>");
        }
    });

    private void feed(String s) {
        feed(s.getBytes(StandardCharsets.UTF_8));
    }

    private void feed(byte[] b) {
        framer.feed(b, 0, b.length);
    }

    @Test
    void everyLineEndVariantEndsALineAndEmptyLinesAreSkipped() {
        feed("\r\nOK\r\nA\rB\nC\n\rD\r\r\n\n");
        assertThat(events).containsExactly("OK", "A", "B", "C", "D");
    }

    @Test
    void partialLinesAreJoinedAcrossReads() {
        String reply = "\r\n+CSQ: 23,99\r\n\r\nOK\r\n";
        for (byte b : reply.getBytes(StandardCharsets.US_ASCII)) {
            framer.feed(new byte[] {b}, 0, 1);
        }
        assertThat(events).containsExactly("+CSQ: 23,99", "OK");
    }

    @Test
    void smsPromptWithoutNewlineIsReportedEvenWhenSplit() {
        feed("\r\n>");
        assertThat(events).containsExactly("<PROMPT>");
        feed(" ");
        feed("\r\n+CMGS: 12\r\n");
        assertThat(events).containsExactly("<PROMPT>", "+CMGS: 12");
    }

    @Test
    void aLineStartingWithGreaterThanIsNotAPrompt() {
        feed("\r\n> not a prompt\r\n");
        assertThat(events).containsExactly("> not a prompt");
    }

    @Test
    void megabyteLineWithoutNewlineIsDroppedWithBoundedMemory() {
        byte[] chunk = new byte[8192];
        java.util.Arrays.fill(chunk, (byte) 'A');
        for (int i = 0; i < 128; i++) { // 1 MiB, no line end
            feed(chunk);
            assertThat(framer.pendingBytes()).isLessThanOrEqualTo(64);
        }
        feed("\r\nOK\r\n");
        assertThat(events).containsExactly("OK");
        assertThat(framer.overlongLines()).isEqualTo(1);
    }

    @Test
    void lineOfExactlyTheCapIsKept() {
        feed("X".repeat(64) + "\r\n");
        assertThat(events).containsExactly("X".repeat(64));
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        feed(new byte[] {'+', 'C', ':', ' ', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\r', '\n'});
        feed("\r\nT\u00e9l\u00e9com\r\n");
        assertThat(events).containsExactly("+C: \uFFFD(\uFFFD", "T\u00e9l\u00e9com");
    }

    @Test
    void utf8SequenceSplitAcrossReadsIsDecodedWhole() {
        byte[] e = "\u00e9".getBytes(StandardCharsets.UTF_8);
        feed(new byte[] {'a', e[0]});
        feed(new byte[] {e[1], '\r'});
        assertThat(events).containsExactly("a\u00e9");
    }

    @Test
    void rejectsAUselessCap() {
        assertThatThrownBy(() -> new LineFramer(2, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
