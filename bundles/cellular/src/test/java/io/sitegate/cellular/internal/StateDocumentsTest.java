package io.sitegate.cellular.internal;

import static io.sitegate.cellular.internal.Fixtures.ICCID_1;
import static io.sitegate.cellular.internal.Fixtures.IMEI_A;
import static io.sitegate.cellular.internal.Fixtures.IMSI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.cellular.LearnedBinding;
import io.sitegate.cellular.QuotaAction;
import io.sitegate.cellular.QuotaPolicy;
import io.sitegate.core.CorruptStateException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The persisted binding and quota documents: round trips, and refusal of anything malformed. */
class StateDocumentsTest {
    private static final String BINDING = "format=1\nimei=" + IMEI_A + "\niccid=" + ICCID_1 + "\nimsi=" + IMSI
            + "\nlearnedAt=2025-03-14T09:30:00Z\n";
    private final MutableClock clock = MutableClock.at("2025-03-20T10:00:00Z");
    private final QuotaPolicy policy = new QuotaPolicy(500, 10, 10, 1, ZoneOffset.UTC, QuotaAction.BLOCK,
            List.of(80, 100), Duration.ofMinutes(1));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLearnedBindingSurvivesTheRoundTrip() throws Exception {
        LearnedBinding b = new LearnedBinding(IMEI_A, ICCID_1, IMSI, Instant.parse("2025-03-14T09:30:00Z"));
        assertThat(new String(BindingDocument.encode(b), StandardCharsets.UTF_8)).isEqualTo(
                "format=1\niccid=" + ICCID_1 + "\nimei=" + IMEI_A + "\nimsi=" + IMSI + "\nlearnedAt=2025-03-14T09:30:00Z\n");
        assertThat(BindingDocument.decode(BindingDocument.encode(b))).isEqualTo(b);
        LearnedBinding noImsi = new LearnedBinding(IMEI_A, ICCID_1, "", b.learnedAt());
        assertThat(BindingDocument.decode(BindingDocument.encode(noImsi))).isEqualTo(noImsi);
        assertThat(BindingDocument.decode(utf8(BINDING.replace(ICCID_1, ICCID_1 + "F"))).iccid()).isEqualTo(ICCID_1);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "format=1\\n|imei|is missing",
        "imei=1|format|is missing",
        "format=2|format|is '2': this version of Sitegate reads format 1 only",
        "format=|format|is empty",
        "imei=867962040000014|imei|is not a valid IMEI: '867962040000014'",
        "imei=|imei|is empty",
        "iccid=8949|iccid|is not a valid ICCID: '8949'",
        "imsi=12|imsi|is not a valid IMSI: '12'",
        "learnedAt=yesterday|learnedAt|is not an instant: 'yesterday'",
        "owner=mallory|owner|is not part of format 1"})
    void aMalformedBindingDocumentIsRefusedNamingTheField(String change, String field, String problem) {
        String doc = change.startsWith("format=1\\n") ? "format=1\n"
                : change.startsWith("imei=1") ? "imei=" + IMEI_A + "\n"
                : patch(BINDING, change);
        assertThatThrownBy(() -> BindingDocument.decode(utf8(doc)))
                .isInstanceOfSatisfying(MalformedStateException.class, e -> assertThat(e.field()).isEqualTo(field))
                .isInstanceOf(CorruptStateException.class)
                .hasMessage("cellular binding document: field '" + field + "' " + problem);
    }

    @Test
    void aMissingBindingFieldIsNamed() {
        assertThatThrownBy(() -> BindingDocument.decode(utf8(BINDING.replaceAll("learnedAt=.*\n", ""))))
                .hasMessage("cellular binding document: field 'learnedAt' is missing");
        assertThatThrownBy(() -> BindingDocument.decode(utf8(BINDING.replaceAll("imsi=.*\n", ""))))
                .hasMessage("cellular binding document: field 'imsi' is missing");
    }

    @Test
    void binaryGarbageIsRefused() {
        assertThatThrownBy(() -> BindingDocument.decode(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}))
                .isInstanceOf(MalformedStateException.class).hasMessageContaining("not UTF-8 text");
        assertThatThrownBy(() -> BindingDocument.decode(new byte[0])).hasMessageContaining("field 'format' is missing");
        assertThatThrownBy(() -> BindingDocument.decode(utf8("format=1\nimei=\\u12")))
                .isInstanceOf(MalformedStateException.class).hasMessageContaining("not readable");
    }

    /** Replaces the field named in {@code change} (or adds it). */
    private static String patch(String doc, String change) {
        String key = change.substring(0, change.indexOf('='));
        String replaced = doc.replaceAll("(?m)^" + key + "=.*$", java.util.regex.Matcher.quoteReplacement(change));
        return replaced.equals(doc) && !doc.contains(key + "=") ? doc + change + "\n" : replaced;
    }

    private String ledgerDocument() {
        QuotaLedger l = new QuotaLedger(clock, policy);
        l.observe(new io.sitegate.modem.DataUsage(0, 0, 400, 500, true), 1, 2);
        l.observe(new io.sitegate.modem.DataUsage(0, 0, 800, 500, true), 3, 2);
        l.grantOverride(OptionalLong.of(2_000), "karaf");
        return new String(l.encode(), StandardCharsets.UTF_8);
    }

    @Test
    void aLedgerSurvivesTheRoundTripWithItsOverride() throws Exception {
        String doc = ledgerDocument();
        assertThat(doc).contains("override=bytes\n", "override.bytes=2000\n", "override.by=karaf\n", "warned.data=80\n",
                "used.data=400\n", "used.sms-mo=2\n", "baseline.sms-mt=2\n");
        QuotaLedger back = QuotaLedger.restore(utf8(doc), clock, policy);
        assertThat(new String(back.encode(), StandardCharsets.UTF_8)).isEqualTo(doc);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "format=7|format|is '7': this version of Sitegate reads format 1 only",
        "used.data=-5|used.data|is not a count: '-5'",
        "used.data=12x|used.data|is not a count: '12x'",
        "used.sms-mt=|used.sms-mt|is empty",
        "baseline.data=ten|baseline.data|is not a count: 'ten'",
        "cycleStart=2025-13-01|cycleStart|is not an instant: '2025-13-01'",
        "cycleEnd=2025-01-01T00:00:00Z|cycleEnd|is not after cycleStart: '2025-01-01T00:00:00Z'",
        "warned.data=100,80|warned.data|is not an ascending list of percentages 1 to 100: '100,80'",
        "warned.data=80,,100|warned.data|is not a list of percentages: '80,,100'",
        "warned.sms-mo=150|warned.sms-mo|is not an ascending list of percentages 1 to 100: '150'",
        "override=forever|override|is 'forever': expected none, cycle or bytes",
        "override.bytes=0|override.bytes|is not 1 to 1000000000000000: '0'",
        "override.granted=now|override.granted|is not an instant: 'now'",
        "used.voice=3|used.voice|is not part of format 1"})
    void aMalformedLedgerIsRefusedNamingTheFieldNeverReadAsZero(String change, String field, String problem) {
        String doc = patch(ledgerDocument(), change);
        assertThatThrownBy(() -> QuotaLedger.restore(utf8(doc), clock, policy))
                .isInstanceOfSatisfying(MalformedStateException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessage("cellular quota ledger document: field '" + field + "' " + problem);
    }

    @Test
    void aLedgerWithoutAFieldIsRefused() {
        String doc = ledgerDocument().replaceAll("used.data=.*\n", "");
        assertThatThrownBy(() -> QuotaLedger.restore(utf8(doc), clock, policy))
                .hasMessage("cellular quota ledger document: field 'used.data' is missing");
        String truncated = ledgerDocument().substring(0, 40);
        assertThatThrownBy(() -> QuotaLedger.restore(utf8(truncated), clock, policy))
                .isInstanceOf(MalformedStateException.class);
    }

    @Test
    void aBindingDocumentIsNotALedger() {
        assertThatThrownBy(() -> QuotaLedger.restore(utf8(BINDING), clock, policy))
                .isInstanceOf(MalformedStateException.class).hasMessageContaining("is not part of format 1");
    }
}
