package io.sitegate.policy.internal;

import static io.sitegate.policy.internal.PolicyFixture.GATEWAY;
import static io.sitegate.policy.internal.PolicyFixture.KID;
import static io.sitegate.policy.internal.PolicyFixture.KID2;
import static io.sitegate.policy.internal.PolicyFixture.b64;
import static io.sitegate.policy.internal.PolicyFixture.document;
import static io.sitegate.policy.internal.PolicyFixture.good;
import static io.sitegate.policy.internal.PolicyFixture.goodSections;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.PolicyKeys;
import io.sitegate.policy.PolicyRefusal;
import io.sitegate.policy.PolicyRefusal.Code;
import io.sitegate.policy.PolicySigner;
import io.sitegate.policy.PolicyVerificationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

class PolicyVerifierTest {
    private final PolicyFixture f = new PolicyFixture();

    private PolicyRefusal refused(byte[] payload) {
        PolicyVerificationException e = catchThrowableOfType(() -> f.verifier.verify(payload), PolicyVerificationException.class);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.refusal().reason()).hasSizeLessThanOrEqualTo(PolicyRefusal.MAX_REASON).doesNotContain("\u001b", "\n");
        return e.refusal();
    }

    private void assertRefused(byte[] payload, Code code) {
        assertThat(refused(payload).code()).isEqualTo(code);
    }

    // ---- accepted ----

    @Test
    void aGoodDocumentVerifies() throws Exception {
        PolicyDocument doc = f.verifier.verify(f.signed(good(7)));
        assertThat(doc.version()).isEqualTo(7);
        assertThat(doc.target()).isEqualTo(GATEWAY);
        assertThat(doc.keyId()).isEqualTo(KID);
        assertThat(doc.issuedAt()).isEqualTo(Instant.parse("2026-12-04T09:00:00Z"));
        assertThat(doc.expiresAt()).isEqualTo(Instant.parse("2027-01-04T09:00:00Z"));
        assertThat(doc.sections()).containsOnlyKeys("cellular", "dns", "features", "filter", "modem", "tunnels");
        assertThat(doc.section("cellular").orElseThrow().get("rat").textValue()).isEqualTo("lte");
        assertThat(doc.section("tunnels").orElseThrow().get("backup").get("priority").longValue()).isEqualTo(2);
    }

    @Test
    void aDocumentCannotBeChangedAfterVerification() throws Exception {
        PolicyDocument doc = f.verifier.verify(f.signed(good(7)));
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.section("dns").orElseThrow()).put("upstreams", "6.6.6.6");
        assertThat(doc.section("dns").orElseThrow().get("upstreams").get(0).textValue()).isEqualTo("10.8.0.1:53");
    }

    @Test
    void bothTrustedKeysVerifyForRotation() throws Exception {
        PolicySigner second = new PolicySigner(f.key2.getPrivate(), KID2);
        assertThat(f.verifier.verify(f.signed(good(3))).keyId()).isEqualTo(KID);
        assertThat(f.verifier.verify(second.sign(good(3)).getBytes(StandardCharsets.US_ASCII)).keyId()).isEqualTo(KID2);
    }

    @Test
    void aGroupTargetIsAcceptedForAMemberGroup() throws Exception {
        PolicyDocument doc = f.verifier.verify(f.signed(document(1, "group:north", goodSections())));
        assertThat(doc.forGroup()).isTrue();
        assertThat(doc.target()).isEqualTo("group:north");
    }

    @Test
    void anEmptySectionsObjectIsAValidDocument() throws Exception {
        assertThat(f.verifier.verify(f.signed(document(1, GATEWAY, "{}"))).sections()).isEmpty();
    }

    @Test
    void theClockSkewIsTolerated() throws Exception {
        // issued 30 s in the future and expired 30 s ago: both within the 60 s skew
        String json = "{\"version\":1,\"issuedAt\":\"2026-12-04T10:00:30Z\",\"expiresAt\":\"2026-12-04T10:00:45Z\","
                + "\"target\":\"gw-0042\",\"sections\":{}}";
        assertThat(f.verifier.verify(f.signed(json)).version()).isEqualTo(1);
        String expiredWithinSkew = "{\"version\":1,\"issuedAt\":\"2026-12-01T00:00:00Z\",\"expiresAt\":\"2026-12-04T09:59:30Z\","
                + "\"target\":\"gw-0042\",\"sections\":{}}";
        assertThat(f.verifier.verify(f.signed(expiredWithinSkew)).version()).isEqualTo(1);
    }

    @Test
    void anOffsetTimestampIsAccepted() throws Exception {
        String json = "{\"version\":1,\"issuedAt\":\"2026-12-04T10:30:00+01:00\",\"expiresAt\":\"2026-12-05T00:00:00.5Z\","
                + "\"target\":\"gw-0042\",\"sections\":{}}";
        assertThat(f.verifier.verify(f.signed(json)).issuedAt()).isEqualTo(Instant.parse("2026-12-04T09:30:00Z"));
    }

    // ---- size and encoding: before any parsing ----

    @Test
    void aPayloadOverTheMaximumIsRefusedBeforeAnyParsing() {
        byte[] big = new byte[PolicyVerifier.DEFAULT_MAX_PAYLOAD_BYTES + 1];
        Arrays.fill(big, (byte) 0xff); // not UTF-8 either: TOO_LARGE shows the size came first
        PolicyRefusal r = refused(big);
        assertThat(r.code()).isEqualTo(Code.TOO_LARGE);
        assertThat(r.reason()).contains("262145").contains("262144");
    }

    @Test
    void aPayloadAtTheMaximumIsNotRefusedForSize() {
        byte[] max = new byte[PolicyVerifier.DEFAULT_MAX_PAYLOAD_BYTES];
        Arrays.fill(max, (byte) 'A');
        assertRefused(max, Code.NOT_JWS);
    }

    @Test
    void invalidUtf8InTheTokenIsRefused() {
        byte[] token = f.signed(good(1));
        byte[] bad = Arrays.copyOf(token, token.length + 2);
        bad[token.length] = (byte) 0xc3; // a lead byte followed by a non-continuation
        bad[token.length + 1] = (byte) 0x28;
        assertRefused(bad, Code.BAD_UTF8);
        assertRefused(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, Code.BAD_UTF8); // an encoded surrogate
        assertRefused(new byte[] {(byte) 0xc0, (byte) 0xae}, Code.BAD_UTF8); // overlong '.'
    }

    @Test
    void invalidUtf8InTheSignedPayloadIsRefused() {
        byte[] payload = good(1).getBytes(StandardCharsets.UTF_8);
        payload[payload.length - 3] = (byte) 0xfe;
        String token = PolicyFixture.ed25519Token("{\"alg\":\"EdDSA\",\"kid\":\"" + KID + "\"}", payload, f.key.getPrivate());
        assertRefused(token.getBytes(StandardCharsets.US_ASCII), Code.BAD_UTF8);
    }

    // ---- JWS shape, RFC 7515 section 7.1 ----

    @Test
    void somethingThatIsNotAJwsIsRefused() {
        String good = f.signer.sign(good(1));
        for (String s : new String[] {"", "hello", "a.b", "a.b.c.d", ".b.c", "a..c", good + " ", " " + good, good + "\n",
                good.substring(0, good.lastIndexOf('.') + 1) + "+" + good.substring(good.lastIndexOf('.') + 2), good + "=", "{\"version\":1}"}) {
            assertThat(refused(s.getBytes(StandardCharsets.UTF_8)).code()).as(s).isEqualTo(Code.NOT_JWS);
        }
    }

    @Test
    void aNonCanonicalBase64UrlSignatureIsRefused() {
        String token = f.signer.sign(good(1));
        // 64 signature bytes are 86 characters: the last one carries 4 unused bits
        char last = token.charAt(token.length() - 1);
        char other = last == 'A' ? 'B' : (char) (last + 1);
        String mangled = token.substring(0, token.length() - 1) + other;
        assertRefused(mangled.getBytes(StandardCharsets.US_ASCII), Code.NOT_JWS);
    }

    @Test
    void aHeaderThatIsNotAJsonObjectIsRefused() {
        assertRefused(f.token("[\"EdDSA\"]", good(1)), Code.NOT_JWS);
        assertRefused(f.token("not json", good(1)), Code.NOT_JWS);
    }

    // ---- algorithm, RFC 8037 section 3.1 ----

    @Test
    void algNoneWithAnEmptySignatureIsRefused() {
        // RFC 7515 appendix A.5: an Unsecured JWS has an empty signature
        String token = b64("{\"alg\":\"none\",\"kid\":\"" + KID + "\"}") + "." + b64(good(1)) + ".";
        PolicyRefusal r = refused(token.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.code()).isEqualTo(Code.BAD_ALGORITHM);
        assertThat(r.reason()).contains("'none'").contains("EdDSA");
    }

    @Test
    void hs256WithThePublicKeyAsHmacSecretIsRefused() throws Exception {
        // The classic key confusion (RFC 8725 section 2.1): an attacker who knows the public key MACs with it.
        for (byte[] secret : new byte[][] {f.key.getPublic().getEncoded(),
                PolicyKeys.toPem(f.key.getPublic()).getBytes(StandardCharsets.US_ASCII)}) {
            String input = b64("{\"alg\":\"HS256\",\"kid\":\"" + KID + "\"}") + "." + b64(good(1));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String token = input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
            assertRefused(token.getBytes(StandardCharsets.US_ASCII), Code.BAD_ALGORITHM);
        }
    }

    @Test
    void everyOtherAlgorithmIsRefused() {
        for (String alg : new String[] {"RS256", "ES256", "PS256", "HS512", "Ed25519", "eddsa", "EdDSA ", "ED25519"}) {
            assertThat(refused(f.token("{\"alg\":\"" + alg + "\",\"kid\":\"" + KID + "\"}", good(1))).code())
                    .as(alg).isEqualTo(Code.BAD_ALGORITHM);
        }
        assertRefused(f.token("{\"kid\":\"" + KID + "\"}", good(1)), Code.BAD_ALGORITHM);
        assertRefused(f.token("{\"alg\":[\"EdDSA\"],\"kid\":\"" + KID + "\"}", good(1)), Code.BAD_ALGORITHM);
    }

    @Test
    void aDuplicatedAlgInTheHeaderIsRefused() {
        assertRefused(f.token("{\"alg\":\"EdDSA\",\"alg\":\"none\",\"kid\":\"" + KID + "\"}", good(1)), Code.DUPLICATE_KEY);
    }

    // ---- key ----

    @Test
    void anUnknownKidIsRefused() {
        PolicyRefusal r = refused(f.token("{\"alg\":\"EdDSA\",\"kid\":\"cloud-evil\"}", good(1)));
        assertThat(r.code()).isEqualTo(Code.UNKNOWN_KEY);
        assertThat(r.reason()).contains("cloud-evil");
        assertRefused(f.token("{\"alg\":\"EdDSA\"}", good(1)), Code.UNKNOWN_KEY);
        assertRefused(f.token("{\"alg\":\"EdDSA\",\"kid\":7}", good(1)), Code.UNKNOWN_KEY);
    }

    @Test
    void aKidIsQuotedBoundedAndEscapedInTheReason() {
        String kid = "\\u001b[31m" + "x".repeat(3000);
        PolicyRefusal r = refused(f.token("{\"alg\":\"EdDSA\",\"kid\":\"" + kid + "\"}", good(1)));
        assertThat(r.code()).isEqualTo(Code.UNKNOWN_KEY);
        assertThat(r.reason()).contains("\\x1b[31m").doesNotContain("\u001b").hasSizeLessThan(300);
    }

    // ---- signature, RFC 7515 section 5.2 ----

    @Test
    void aTamperedPayloadByteIsRefused() {
        String token = f.signer.sign(good(1));
        String[] parts = token.split("\\.");
        String tampered = b64(good(1).replace("\"lte\"", "\"gsm\"")); // same length, one value changed
        assertRefused((parts[0] + "." + tampered + "." + parts[2]).getBytes(StandardCharsets.US_ASCII), Code.BAD_SIGNATURE);
    }

    @Test
    void aSignatureByAnotherKeyUnderATrustedKidIsRefused() throws Exception {
        PolicySigner impostor = new PolicySigner(PolicyKeys.generate().getPrivate(), KID);
        assertRefused(impostor.sign(good(1)).getBytes(StandardCharsets.US_ASCII), Code.BAD_SIGNATURE);
        // and the second trusted key's signature under the first key's id
        PolicySigner swapped = new PolicySigner(f.key2.getPrivate(), KID);
        assertRefused(swapped.sign(good(1)).getBytes(StandardCharsets.US_ASCII), Code.BAD_SIGNATURE);
    }

    @Test
    void anEmptyOrShortSignatureIsRefused() {
        String[] parts = f.signer.sign(good(1)).split("\\.");
        assertRefused((parts[0] + "." + parts[1] + ".").getBytes(StandardCharsets.US_ASCII), Code.BAD_SIGNATURE);
        assertRefused((parts[0] + "." + parts[1] + "." + parts[2].substring(0, 40)).getBytes(StandardCharsets.US_ASCII),
                Code.BAD_SIGNATURE);
    }

    @Test
    void anUnknownCriticalHeaderIsRefused() {
        // RFC 7515 section 4.1.11: a recipient that does not understand a "crit" extension must refuse
        assertRefused(f.token("{\"alg\":\"EdDSA\",\"kid\":\"" + KID + "\",\"crit\":[\"x-magic\"],\"x-magic\":1}", good(1)),
                Code.BAD_SIGNATURE);
    }

    @Test
    void anEd448KeyCannotBeTrusted() throws Exception {
        var ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        assertThatThrownBy(() -> PolicyVerifier.builder().trustKey("k", ed448.getPublic()))
                .isInstanceOf(java.security.spec.InvalidKeySpecException.class);
    }

    // ---- strict JSON ----

    @Test
    void duplicateKeysAreRefused() {
        String json = good(5).replace("{\"version\":5,", "{\"version\":5,\"version\":6,");
        assertRefused(f.signed(json), Code.DUPLICATE_KEY);
        String nested = good(5).replace("\"rat\":\"lte\"", "\"rat\":\"lte\",\"rat\":\"gsm\"");
        assertRefused(f.signed(nested), Code.DUPLICATE_KEY);
    }

    @Test
    void nestingTenThousandDeepIsRefusedFast() {
        String arrays = "[".repeat(10_000) + "]".repeat(10_000);
        String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        for (String deep : new String[] {arrays, objects, document(1, GATEWAY, "{\"dns\":{\"x\":" + arrays + "}}")}) {
            long start = System.nanoTime();
            assertRefused(f.signed(deep), Code.TOO_DEEP);
            assertThat(System.nanoTime() - start).as("refused without walking the nesting").isLessThan(5_000_000_000L);
        }
    }

    @Test
    void nestingJustWithinTheLimitIsNotRefusedForDepth() {
        String json = "[".repeat(32) + "]".repeat(32);
        assertRefused(f.signed(json), Code.SCHEMA); // parsed fine, then not a policy
    }

    @Test
    void numbersOutOfRangeAreRefused() {
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":1e400}}")), Code.NUMBER_OUT_OF_RANGE);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":-1e400}}")), Code.NUMBER_OUT_OF_RANGE);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":1e-400}}")), Code.NUMBER_OUT_OF_RANGE);
        assertRefused(f.signed(good(1).replace("\"version\":1", "\"version\":1180591620717411303424")), // 2^70
                Code.NUMBER_OUT_OF_RANGE);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":9223372036854775808}}")), Code.NUMBER_OUT_OF_RANGE);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":1" + "0".repeat(200) + "}}")), Code.NUMBER_OUT_OF_RANGE);
    }

    @Test
    void theLargestLongIsInRangeButNotAVersionOverTwoToThe53() {
        // in range for JSON, refused by the schema's maximum (2^53 - 1, so every cloud language reads it exactly)
        assertRefused(f.signed(good(1).replace("\"version\":1", "\"version\":9223372036854775807")), Code.SCHEMA);
    }

    @Test
    void nonStandardJsonIsRefused() {
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":NaN}}")), Code.BAD_JSON);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":Infinity}}")), Code.BAD_JSON);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{'x':1}}")), Code.BAD_JSON);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{/* c */}}")), Code.BAD_JSON);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":01}}")), Code.BAD_JSON);
        assertRefused(f.signed(good(1) + " {}"), Code.BAD_JSON);
        assertRefused(f.signed(good(1).substring(0, 50)), Code.BAD_JSON);
        assertRefused(f.signed("Example of Ed25519 signing"), Code.BAD_JSON);
    }

    // ---- schema ----

    @Test
    void schemaViolationsAreRefused() {
        assertRefused(f.signed(good(1).replace("\"version\":1", "\"version\":\"1\"")), Code.SCHEMA); // wrong type
        assertRefused(f.signed(good(1).replace("\"version\":1,", "")), Code.SCHEMA); // missing version
        assertRefused(f.signed(good(1).replace("\"version\":1", "\"version\":0")), Code.SCHEMA);
        assertRefused(f.signed(good(1).replace("\"version\":1", "\"version\":1.5")), Code.SCHEMA);
        assertRefused(f.signed(good(1).replace("\"target\"", "\"owner\":\"x\",\"target\"")), Code.SCHEMA);
        assertRefused(f.signed(good(1).replace("2026-12-04T09:00:00Z", "yesterday")), Code.SCHEMA);
        assertRefused(f.signed(good(1).replace("2026-12-04T09:00:00Z", "2026-12-04T09:00:00")), Code.SCHEMA);
        assertRefused(f.signed(good(1).replace("2026-12-04T09:00:00Z", "2026-13-04T09:00:00Z")), Code.SCHEMA);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":1.5}}")), Code.SCHEMA);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":null}}")), Code.SCHEMA);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":{\"y\":1}}}")), Code.SCHEMA);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":[\"a,b\"]}}")), Code.SCHEMA);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":{\"x\":[1]}}")), Code.SCHEMA);
        assertRefused(f.signed(document(1, GATEWAY, "{\"dns\":[]}")), Code.SCHEMA);
        assertRefused(f.signed(document(1, GATEWAY, "{\"modem\":{\"WAN0\":{}}}")), Code.SCHEMA);
        assertRefused(f.signed(document(1, GATEWAY, "{\"modem\":{\"wan0\":\"x\"}}")), Code.SCHEMA);
        assertRefused(f.signed(document(1, GATEWAY, "{\"features\":{\"install\":[\"sitegate-dns/[1,2)\"]}}")), Code.SCHEMA);
        assertRefused(f.signed(document(1, GATEWAY, "{\"features\":{\"repositories\":[\"http://x/f.xml\"]}}")), Code.SCHEMA);
        assertRefused(f.signed(document(1, GATEWAY, "{\"features\":{\"uninstall\":[]}}")), Code.SCHEMA);
        assertRefused(f.signed(document(1, "gw 42", "{}")), Code.SCHEMA);
        assertRefused(f.signed("{}"), Code.SCHEMA);
    }

    @Test
    void aSchemaReasonNamesTheProblem() {
        PolicyRefusal r = refused(f.signed(good(1).replace("\"version\":1", "\"version\":\"1\"")));
        assertThat(r.reason()).contains("version").contains("integer");
    }

    @Test
    void anUnknownSectionIsRefused() {
        PolicyRefusal r = refused(f.signed(document(1, GATEWAY, "{\"dns\":{},\"shell\":{\"cmd\":\"rm -rf /\"}}")));
        assertThat(r.code()).isEqualTo(Code.UNKNOWN_SECTION);
        assertThat(r.reason()).contains("'shell'");
    }

    @Test
    void expiresAtBeforeIssuedAtIsRefused() {
        String json = "{\"version\":1,\"issuedAt\":\"2026-12-04T09:00:00Z\",\"expiresAt\":\"2026-12-04T08:00:00Z\","
                + "\"target\":\"gw-0042\",\"sections\":{}}";
        assertRefused(f.signed(json), Code.SCHEMA);
    }

    // ---- validity window ----

    @Test
    void anExpiredDocumentIsRefused() {
        String json = "{\"version\":1,\"issuedAt\":\"2026-11-01T00:00:00Z\",\"expiresAt\":\"2026-12-04T09:58:59Z\","
                + "\"target\":\"gw-0042\",\"sections\":{}}";
        PolicyRefusal r = refused(f.signed(json));
        assertThat(r.code()).isEqualTo(Code.EXPIRED);
        assertThat(r.reason()).contains("2026-12-04T09:58:59Z");
    }

    @Test
    void aDocumentNotYetValidIsRefused() {
        String json = "{\"version\":1,\"issuedAt\":\"2026-12-04T10:01:01Z\",\"expiresAt\":\"2027-01-01T00:00:00Z\","
                + "\"target\":\"gw-0042\",\"sections\":{}}";
        assertRefused(f.signed(json), Code.NOT_YET_VALID);
    }

    // ---- target ----

    @Test
    void aDocumentForAnotherGatewayIsRefused() {
        PolicyRefusal r = refused(f.signed(document(1, "gw-0043", goodSections())));
        assertThat(r.code()).isEqualTo(Code.OTHER_TARGET);
        assertThat(r.reason()).contains("gw-0043").contains(GATEWAY);
    }

    @Test
    void aDocumentForAGroupThisGatewayIsNotInIsRefused() {
        assertRefused(f.signed(document(1, "group:south", goodSections())), Code.OTHER_TARGET);
        assertRefused(f.signed(document(1, "group:gw-0042", goodSections())), Code.OTHER_TARGET);
        assertRefused(f.signed(document(1, "north", goodSections())), Code.OTHER_TARGET);
    }

    // ---- replay, per target ----

    @Test
    void theSameVersionAgainIsAReplay() throws Exception {
        f.verifier.verify(f.signed(good(9)));
        f.marks.put(GATEWAY, 9L); // what the agent persists after accepting
        PolicyRefusal r = refused(f.signed(good(9)));
        assertThat(r.code()).isEqualTo(Code.REPLAYED);
        assertThat(r.reason()).contains("version 9").contains("9");
    }

    @Test
    void anOlderVersionIsRefused() throws Exception {
        f.marks.put(GATEWAY, 9L);
        assertRefused(f.signed(good(8)), Code.REPLAYED);
        assertThat(f.verifier.verify(f.signed(good(10))).version()).isEqualTo(10);
    }

    @Test
    void highWaterMarksArePerTarget() throws Exception {
        f.marks.put(GATEWAY, 100L);
        assertThat(f.verifier.verify(f.signed(document(5, "group:north", "{}"))).version()).isEqualTo(5);
        f.marks.put("group:north", 5L);
        assertRefused(f.signed(document(5, "group:north", "{}")), Code.REPLAYED);
    }

    // ---- every code has a test ----

    @Test
    void everyRefusalCodeIsProducedByARealInput() {
        EnumSet<Code> seen = EnumSet.noneOf(Code.class);
        f.marks.put(GATEWAY, 50L);
        byte[] big = new byte[PolicyVerifier.DEFAULT_MAX_PAYLOAD_BYTES + 1];
        byte[][] inputs = {
                "x".getBytes(StandardCharsets.US_ASCII),
                big,
                {(byte) 0xff},
                f.token("{\"alg\":\"none\",\"kid\":\"" + KID + "\"}", good(51)),
                f.token("{\"alg\":\"EdDSA\",\"kid\":\"nobody\"}", good(51)),
                tamper(f.signer.sign(good(51))),
                f.signed("{"),
                f.signed("[".repeat(100)),
                f.signed("{\"a\":1,\"a\":1}"),
                f.signed("[1e400]"),
                f.signed("{}"),
                f.signed(good(50)),
                f.signed("{\"version\":51,\"issuedAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":\"2026-02-01T00:00:00Z\",\"target\":\"gw-0042\",\"sections\":{}}"),
                f.signed("{\"version\":51,\"issuedAt\":\"2027-01-01T00:00:00Z\",\"expiresAt\":\"2027-02-01T00:00:00Z\",\"target\":\"gw-0042\",\"sections\":{}}"),
                f.signed(document(51, "gw-9", "{}")),
                f.signed(document(51, GATEWAY, "{\"ssh\":{}}")),
        };
        for (byte[] in : inputs) {
            seen.add(refused(in).code());
        }
        assertThat(seen).containsExactlyInAnyOrder(Code.values());
    }

    private static byte[] tamper(String token) {
        byte[] b = token.getBytes(StandardCharsets.US_ASCII);
        int i = token.indexOf('.') + 5;
        b[i] = (byte) (b[i] == 'A' ? 'B' : 'A');
        return b;
    }

    @Test
    void theVerifierNeedsAKeyAndAGateway() {
        assertThatThrownBy(() -> PolicyVerifier.builder().gateway("g", Set.of()).highWaterMark(t -> 0).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PolicyVerifier.builder().trustKey("k", f.key.getPublic()).highWaterMark(t -> 0).build())
                .isInstanceOf(NullPointerException.class);
    }
}
