package io.sitegate.modem.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.modem.AtCommand;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.FinalResult;
import io.sitegate.modem.Modem;
import io.sitegate.modem.Modems;
import io.sitegate.modem.SmsMessage;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the modem commands print when the modem or the network sends hostile text. */
class ModemCommandOutputTest {
    private static final String ESC = "\u001b";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream saved;

    @BeforeEach
    void captureOut() {
        saved = System.out;
        System.setOut(new PrintStream(out, true, UTF_8));
    }

    @AfterEach
    void restoreOut() {
        System.setOut(saved);
    }

    private static Modems modemsWith(Modem modem) {
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "all" -> List.of(modem);
            case "byId" -> Optional.of(modem);
            default -> InvocationHandler.invokeDefault(proxy, method, args);
        };
        return (Modems) Proxy.newProxyInstance(Modems.class.getClassLoader(), new Class<?>[] {Modems.class}, h);
    }

    private static Modem modem(List<SmsMessage> sms, AtResponse reply) {
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "id" -> "wan0";
            case "listSms" -> sms;
            case "execute" -> reply;
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (Modem) Proxy.newProxyInstance(Modem.class.getClassLoader(), new Class<?>[] {Modem.class}, h);
    }

    private String printed() {
        return out.toString(UTF_8);
    }

    @Test
    void smsSendersAndTextsAreEscaped() throws Exception {
        ModemSmsListCommand c = new ModemSmsListCommand();
        c.modems = modemsWith(modem(List.of(new SmsMessage(3, "REC UNREAD", "+49" + ESC + "]0;pwned\u0007",
                "26/12/04,10:00:00+04", "hello" + ESC + "[2J\r\nfake prompt\u202e")), null));
        c.id = "wan0";
        c.execute();
        assertThat(printed()).doesNotContain(ESC).doesNotContain("\u0007").doesNotContain("\u202e")
                .contains("+49\\x1b]0;pwned\\x07").contains("hello\\x1b[2J\\x0d\\x0afake prompt\\u202e");
    }

    @Test
    void modemAtRepliesAreEscapedAndCredentialsMasked() throws Exception {
        AtCommand cmd = AtCommand.of("AT+CGAUTH?");
        AtResponse reply = new AtResponse(cmd, List.of("+CGAUTH: 1,1,\"user\",\"s3cret\"", "evil" + ESC + "[31m"),
                new FinalResult(FinalResult.Kind.OK, "OK", null), Duration.ofMillis(5));
        ModemAtCommand c = new ModemAtCommand();
        c.modems = modemsWith(modem(List.of(), reply));
        c.id = "wan0";
        c.command = "AT+CGAUTH?";
        c.execute();
        assertThat(printed()).doesNotContain(ESC).doesNotContain("s3cret")
                .contains("+CGAUTH: 1,1,\"****\",\"****\"").contains("evil\\x1b[31m").contains("OK");
    }

    @Test
    void theThreadRunningModemAtDoesNotCarryThePinInItsName() throws Exception {
        Thread t = new Thread(ModemAtCommand::hideSecretsInThreadName, "pipe-sitegate:modem-at wan0 'AT+CFUN=1;+CPIN=1234'");
        t.start();
        t.join();
        assertThat(t.getName()).isEqualTo("pipe-sitegate:modem-at wan0 'AT+CFUN=1;+CPIN=****");
        Thread other = new Thread(ModemAtCommand::hideSecretsInThreadName, "pipe-sitegate:modem-at wan0 AT+CSQ");
        other.start();
        other.join();
        assertThat(other.getName()).isEqualTo("pipe-sitegate:modem-at wan0 AT+CSQ");
    }
}
