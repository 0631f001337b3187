package io.sitegate.dns.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.ForwarderStatus;
import io.sitegate.dns.LookupResult;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DnsLookupCommandTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private PrintStream saved;
    private String askedType;
    private Duration askedTimeout;

    @BeforeEach
    void captureOutput() {
        saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(saved);
    }

    private DnsLookupCommand command(CompletableFuture<LookupResult> answer) {
        DnsLookupCommand c = new DnsLookupCommand();
        c.forwarder = new DnsForwarder() {
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
                askedType = type;
                askedTimeout = timeout;
                return answer;
            }
        };
        c.name = "www.example.com";
        return c;
    }

    @Test
    void printsResultAnswererTimeAndRecords() throws Exception {
        DnsLookupCommand c = command(CompletableFuture.completedFuture(new LookupResult("NOERROR",
                List.of("www.example.com.\t300\tIN\tAAAA\t2001:db8::1"), "upstream udp://192.0.2.53:53", Duration.ofMillis(23))));
        c.type = "aaaa";

        c.execute();

        assertThat(askedType).isEqualTo("AAAA");
        assertThat(askedTimeout).isEqualTo(Duration.ofMillis(5000));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Name:        www.example.com  AAAA",
                "Result:      NOERROR", "Answered by: upstream udp://192.0.2.53:53", "Time:        23 ms",
                "Records:\n  www.example.com.\t300\tIN\tAAAA\t2001:db8::1");
    }

    @Test
    void namesRecordsAndAnswerersFromTheNetworkAreEscaped() throws Exception {
        String esc = "\u001b";
        DnsLookupCommand c = command(CompletableFuture.completedFuture(new LookupResult("NOERROR",
                List.of("evil" + esc + "[2J.example.\t300\tIN\tTXT\t\"hi" + esc + "]0;pwned\u0007\u202e\""),
                "upstream udp://192.0.2.53:53 said \r\nfake", Duration.ofMillis(1))));
        c.name = "evil" + esc + "[2J.example";
        c.type = "txt";

        c.execute();

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain(esc).doesNotContain("\u0007").doesNotContain("\u202e").doesNotContain("\r")
                .contains("Name:        evil\\x1b[2J.example  TXT")
                .contains("  evil\\x1b[2J.example.\t300\tIN\tTXT\t\"hi\\x1b]0;pwned\\x07\\u202e\"")
                .contains("Answered by: upstream udp://192.0.2.53:53 said \\x0d\\x0afake");
    }

    @Test
    void anEmptyAnswerSaysNone() throws Exception {
        command(CompletableFuture.completedFuture(new LookupResult("NXDOMAIN", List.of(), "cache", Duration.ZERO))).execute();

        assertThat(askedType).isEqualTo("A");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Result:      NXDOMAIN", "Time:        0 ms", "Records:     none");
    }

    @Test
    void anInvalidNameOrTypeFailsWithTheForwardersMessage() {
        assertThatThrownBy(() -> command(CompletableFuture.failedFuture(new IllegalArgumentException("unknown type 'AX'"))).execute())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown type 'AX'");
    }

    @Test
    void theForwardersTimeoutIsAClearMessage() {
        DnsLookupCommand c = command(CompletableFuture.failedFuture(new TimeoutException()));
        c.timeoutMillis = 700;

        assertThatThrownBy(c::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no answer for www.example.com A within 700 ms");
    }

    @Test
    void aForwarderThatNeverAnswersIsGivenUpOn() {
        CompletableFuture<LookupResult> never = new CompletableFuture<>();
        DnsLookupCommand c = command(never);
        c.timeoutMillis = 1;

        assertThatThrownBy(c::execute).isInstanceOf(IllegalStateException.class).hasMessageContaining("within 1 ms");
        assertThat(never).isCancelled();
    }

    @Test
    void aTimeoutOutOfRangeIsRefusedBeforeAsking() {
        DnsLookupCommand c = command(new CompletableFuture<>());
        c.timeoutMillis = 0;

        assertThatThrownBy(c::execute).isInstanceOf(IllegalArgumentException.class).hasMessage("--timeout must be 1 to 60000 milliseconds");
        assertThat(askedType).isNull();
    }

    @Test
    void otherFailuresAreReportedWithTheirMessage() {
        assertThatThrownBy(() -> command(CompletableFuture.failedFuture(new IllegalStateException("forwarder stopping"))).execute())
                .isInstanceOf(IllegalStateException.class).hasMessage("lookup of www.example.com A failed: forwarder stopping");
    }
}
