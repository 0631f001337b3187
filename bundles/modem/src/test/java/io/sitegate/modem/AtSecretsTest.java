package io.sitegate.modem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Parameter layouts, and where they were checked:
 * <ul>
 * <li>3GPP TS 27.007: +CPIN=&lt;pin&gt;[,&lt;newpin&gt;] (§8.3), +CLCK=&lt;fac&gt;,&lt;mode&gt;[,&lt;passwd&gt;[,&lt;class&gt;]] (§7.4),
 *     +CPWD=&lt;fac&gt;,&lt;oldpwd&gt;,&lt;newpwd&gt; (§7.5), +CGAUTH=&lt;cid&gt;,&lt;auth_prot&gt;,&lt;userid&gt;,&lt;password&gt; (§10.1.31),
 *     +CSIM=&lt;length&gt;,&lt;command&gt; (§8.17) with the PIN APDUs of ETSI TS 102 221 §10.1.2 (INS 20, 24, 26, 28, 2C).</li>
 * <li>u-blox "SARA-R4/N4 series AT Commands Manual" UBX-17003787 R09 §13.15:
 *     AT+UAUTHREQ=&lt;cid&gt;,&lt;auth_type&gt;,&lt;username&gt;,&lt;password&gt; (example AT+UAUTHREQ=1,1,"user","pass");
 *     +UPSD parameter tags 2 (user name) and 3 (password).</li>
 * <li>Quectel EC25/BG96 "TCP/IP AT Commands Manual": AT+QICSGP=&lt;contextID&gt;[,&lt;context_type&gt;,&lt;APN&gt;[,&lt;username&gt;,
 *     &lt;password&gt;[,&lt;authentication&gt;]]] (syntax as quoted from the manual in Quectel BG96 driver sources).</li>
 * <li>SIMCom "SIM7500_SIM7600 Series AT Command Manual" / A76xx §5.2.16: AT+CGAUTH=&lt;cid&gt;[,&lt;auth_type&gt;[,&lt;passwd&gt;[,&lt;user&gt;]]]
 *     (password before user, unlike 27.007: both are masked); SIMCom AT+CSTT="apn","user","pwd" and SIM7000 AT+CNCFG
 *     (from memory of the SIMCom manuals, not re-checked); Telit #SGACT=&lt;cid&gt;,&lt;stat&gt;[,&lt;userid&gt;,&lt;pwd&gt;] (same).</li>
 * </ul>
 */
class AtSecretsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "AT+CPIN=1234                               | AT+CPIN=****",
        "at+cpin=1234                               | at+cpin=****",
        "At+CpIn = 1234                             | At+CpIn =****",
        "AT+CPIN=\"1234\"                           | AT+CPIN=\"****\"",
        "at+cpin=\"87654321\",\"1234\"              | at+cpin=\"****\",\"****\"",
        "AT+CPIN2=5678                              | AT+CPIN2=****",
        "AT+CFUN=1;+CPIN=1234                       | AT+CFUN=1;+CPIN=****",
        "AT+CFUN=1;+CPIN=1234;+COPS=0               | AT+CFUN=1;+CPIN=****;+COPS=0",
        "AT+CMEE=2;+CFUN=1;+CPIN=\"1234\"           | AT+CMEE=2;+CFUN=1;+CPIN=\"****\"",
        "ATE0+CPIN=1234                             | ATE0+CPIN=****",
        "AT+CFUN=1;CPIN=1234                        | AT+CFUN=1;CPIN=****",
        "AT+CLCK=\"SC\",1,\"1234\"                  | AT+CLCK=\"SC\",1,\"****\"",
        "AT+CLCK=\"SC\",0,\"1234\",7                | AT+CLCK=\"SC\",0,\"****\",7",
        "AT+CPWD=\"SC\",\"1234\",\"5678\"           | AT+CPWD=\"SC\",\"****\",\"****\"",
        "AT+CGAUTH=1,1,\"user\",\"pass\"            | AT+CGAUTH=1,1,\"****\",\"****\"",
        "AT+CGAUTH=1,2,\"pass\",\"user\"            | AT+CGAUTH=1,2,\"****\",\"****\"",
        "AT+CGAUTH=1,1,\"us;er\",\"pa,s;s\"         | AT+CGAUTH=1,1,\"****\",\"****\"",
        "AT+QICSGP=1,1,\"internet\",\"user\",\"pass\",1 | AT+QICSGP=1,1,\"internet\",\"****\",\"****\",1",
        "AT+UAUTHREQ=1,1,\"user\",\"pass\"          | AT+UAUTHREQ=1,1,\"****\",\"****\"",
        "AT+UPSD=0,3,\"pass\"                       | AT+UPSD=0,3,\"****\"",
        "AT+UPSD=0,2,\"user\"                       | AT+UPSD=0,2,\"****\"",
        "AT+CSTT=\"internet\",\"user\",\"pass\"     | AT+CSTT=\"internet\",\"****\",\"****\"",
        "AT+CNCFG=0,1,\"internet\",\"user\",\"pass\",3 | AT+CNCFG=0,1,\"internet\",\"****\",\"****\",3",
        "AT#SGACT=1,1,\"user\",\"pass\"             | AT#SGACT=1,1,\"****\",\"****\"",
        "AT+CSIM=26,\"0020000108313233340FFFFFFFF\" | AT+CSIM=26,\"****\"",
        "AT+CPIN=\"1234                             | AT+CPIN=\"****\"",
        "+CGAUTH: 1,1,\"user\",\"pass\"             | +CGAUTH: 1,1,\"****\",\"****\"",
        "+QICSGP: 1,\"internet\",\"user\",\"pass\",1 | +QICSGP: 1,\"internet\",\"****\",\"****\",1",
        "+UPSD: 0,3,\"pass\"                        | +UPSD: 0,3,\"****\"",
    })
    void secretParametersAreMasked(String line, String masked) {
        assertThat(AtSecrets.mask(line)).isEqualTo(masked);
        assertThat(AtSecrets.containsSecret(line)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "AT+CPIN?", "AT+CPIN=?", "+CPIN: READY", "+CPIN: SIM PIN", "AT+CFUN=1", "AT+COPS=1,2,\"26201\"",
        "AT+CGDCONT=1,\"IP\",\"internet\"", "AT+CMGS=\"+491701234567\"", "OK", "+CME ERROR: 16", "ATI",
        "AT+CGAUTH?", "AT+QICSGP=1", "+CREG: 0,1", "AT+CLCK=\"SC\",2", "+CSQ: 20,99", "AT+UPSD=0,100,1",
        "", "sitegate:dns-lookup example.com", "at+clck=\"sc\",2", "AT+CGAUTH=1,0", "AT+UPSD=0,4,\"10.0.0.53\"", "AT+CSIM=14,\"00A4040C023F00\"",
    })
    void linesWithoutSecretsAreUntouched(String line) {
        assertThat(AtSecrets.mask(line)).isSameAs(line);
        assertThat(AtSecrets.containsSecret(line)).isFalse();
    }

    @Test
    void aShellLineRunningModemAtIsMasked() {
        assertThat(AtSecrets.mask("sitegate:modem-at wan0 AT+CFUN=1;+CPIN=1234"))
                .isEqualTo("sitegate:modem-at wan0 AT+CFUN=1;+CPIN=****");
        assertThat(AtSecrets.mask("modem-at wan0 'AT+CPIN=\"1234\"'")).doesNotContain("1234");
    }

    @Test
    void loggableMasksThenEscapes() {
        assertThat(AtSecrets.loggable("AT+CPIN=1234\u001b[2J")).isEqualTo("AT+CPIN=****");
        assertThat(AtSecrets.loggable("+COPS: 0,0,\"Evil\u001b]0;x\u0007Net\",7"))
                .isEqualTo("+COPS: 0,0,\"Evil\\x1b]0;x\\x07Net\",7");
        assertThat(AtSecrets.loggable("+CGAUTH: 1,1,\"u\u001b\",\"p\"")).isEqualTo("+CGAUTH: 1,1,\"****\",\"****\"");
    }

    @Test
    void parseErrorsShowTheModemLineEscapedAndMasked() {
        AtParseException e = new AtParseException("AT+QICSGP=1", "+QICSGP: 1,\"apn\",\"u\",\"pw\",1\u001b[2J", "bad");
        assertThat(e.getMessage()).doesNotContain("\u001b").doesNotContain("\"pw\"").contains("\\x1b[2J");
    }

    @Test
    void nullStaysNull() {
        assertThat(AtSecrets.mask(null)).isNull();
    }
}
