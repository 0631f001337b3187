package io.sitegate.policy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.PolicyKeys;
import io.sitegate.policy.PolicyRefusal;
import io.sitegate.policy.PolicyRefusal.Code;
import io.sitegate.policy.PolicySections;
import io.sitegate.policy.PolicyVerificationException;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Verifies a policy document as it arrives on the policy topic, and refuses it with a {@link PolicyRefusal}
 * at the first check it fails. The checks run cheapest and least trusting first, so unauthenticated input
 * meets only the size limit, a strict UTF-8 decoder, the JWS shape and a depth-bounded header parser before
 * the signature is checked; the payload's JSON is parsed only once the signature holds. The token must be
 * exactly a compact serialization in canonical base64url, so one signed document has one spelling:
 * <ol>
 * <li>size ({@link Code#TOO_LARGE}), before anything is decoded;</li>
 * <li>strict UTF-8 ({@link Code#BAD_UTF8}): malformed input is reported, never replaced;</li>
 * <li>JWS compact serialization, RFC 7515 section 7.1 ({@link Code#NOT_JWS});</li>
 * <li>{@code alg} exactly {@code EdDSA}, RFC 8037 section 3.1 ({@link Code#BAD_ALGORITHM}): {@code none}
 *     (RFC 7518 section 3.6) and HMAC/RSA/ECDSA are refused here, and jose4j is also constrained to EdDSA,
 *     so a trusted public key can never be used as an HMAC secret (RFC 8725 section 2.1);</li>
 * <li>{@code kid} (RFC 7515 section 4.1.4) naming a trusted key ({@link Code#UNKNOWN_KEY});</li>
 * <li>the Ed25519 signature over the JWS signing input, RFC 7515 section 5.2 ({@link Code#BAD_SIGNATURE});</li>
 * <li>strict JSON ({@link StrictJson}: {@link Code#BAD_UTF8}, {@link Code#BAD_JSON}, {@link Code#TOO_DEEP},
 *     {@link Code#DUPLICATE_KEY}, {@link Code#NUMBER_OUT_OF_RANGE});</li>
 * <li>known sections only ({@link Code#UNKNOWN_SECTION}), then the schema ({@link Code#SCHEMA});</li>
 * <li>validity window with the clock skew ({@link Code#NOT_YET_VALID}, {@link Code#EXPIRED});</li>
 * <li>target: this gateway or one of its groups ({@link Code#OTHER_TARGET});</li>
 * <li>version strictly above the high-water mark of the target ({@link Code#REPLAYED}).</li>
 * </ol>
 * Thread-safe: immutable once built.
 */
public final class PolicyVerifier {
    /** Default largest payload: 256 KiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;
    /** Default deepest JSON nesting. */
    public static final int DEFAULT_MAX_DEPTH = 32;
    /** Default tolerated clock difference between the cloud and the gateway. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

    private static final AlgorithmConstraints EDDSA_ONLY =
            new AlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA);

    private final Map<String, PublicKey> trustedKeys;
    private final int maxPayloadBytes;
    private final Duration clockSkew;
    private final String gatewayId;
    private final Set<String> groups;
    private final ToLongFunction<String> highWaterMark;
    private final Clock clock;
    private final StrictJson json;
    private final StrictJson headerJson;
    private final PolicySchema schema;

    private PolicyVerifier(Builder b) {
        this.trustedKeys = Map.copyOf(b.trustedKeys);
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.clockSkew = b.clockSkew;
        this.gatewayId = Objects.requireNonNull(b.gatewayId, "gatewayId");
        this.groups = Set.copyOf(b.groups);
        this.highWaterMark = Objects.requireNonNull(b.highWaterMark, "highWaterMark");
        this.clock = b.clock;
        this.json = new StrictJson(b.maxDepth);
        this.headerJson = new StrictJson(2);
        this.schema = new PolicySchema();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The verified document in {@code mqttPayload}.
     *
     * @throws PolicyVerificationException with the first check it fails; whatever the bytes, no other
     *                                     exception comes from the input (the high-water-mark supplier's own
     *                                     failures are passed on: they are the gateway's, not the document's)
     */
    public PolicyDocument verify(byte[] mqttPayload) throws PolicyVerificationException {
        if (mqttPayload == null || mqttPayload.length == 0) {
            throw refused(Code.NOT_JWS, "the payload is empty");
        }
        if (mqttPayload.length > maxPayloadBytes) {
            throw refused(Code.TOO_LARGE, "the payload has " + mqttPayload.length + " bytes, more than the "
                    + maxPayloadBytes + " allowed");
        }
        // Exactly the compact serialization: no whitespace, no final newline (RFC 7515 section 7.1).
        String token = strictUtf8(mqttPayload, "the payload");
        CompactJws parts = CompactJws.parse(token);
        String kid = checkHeader(parts);
        PublicKey key = trustedKeys.get(kid);
        if (key == null) {
            throw refused(Code.UNKNOWN_KEY, "key id '" + PolicyRefusal.quote(kid) + "' is not a trusted policy key");
        }
        byte[] signed = verifySignature(token, key, kid);
        JsonNode tree = json.read(strictUtf8(signed, "the signed payload"));
        checkSections(tree);
        schema.validate(tree);
        return checkClaims(tree, kid);
    }

    /** The header's {@code kid}, once the header is a small JSON object with {@code alg} exactly EdDSA. */
    private String checkHeader(CompactJws parts) throws PolicyVerificationException {
        JsonNode header;
        try {
            header = headerJson.read(strictUtf8(Base64.getUrlDecoder().decode(parts.header()), "the JWS header"));
        } catch (PolicyVerificationException e) {
            // A duplicated "alg" keeps its own code: two parsers could each pick another one.
            Code code = e.code() == Code.BAD_JSON ? Code.NOT_JWS : e.code();
            throw refused(code, "the JWS header: " + e.refusal().reason());
        }
        if (!header.isObject()) {
            throw refused(Code.NOT_JWS, "the JWS header is not a JSON object");
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || !AlgorithmIdentifiers.EDDSA.equals(alg.textValue())) {
            throw refused(Code.BAD_ALGORITHM, "the JWS alg is " + (alg == null ? "missing" : "'"
                    + PolicyRefusal.quote(alg.asText()) + "'") + "; only EdDSA (Ed25519) is accepted");
        }
        JsonNode kid = header.get("kid");
        if (kid == null || !kid.isTextual() || kid.textValue().isEmpty()) {
            throw refused(Code.UNKNOWN_KEY, "the JWS header names no key id (kid)");
        }
        return kid.textValue();
    }

    private byte[] verifySignature(String token, PublicKey key, String kid) throws PolicyVerificationException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(EDDSA_ONLY);
        try {
            jws.setCompactSerialization(token);
            jws.setKey(key);
            if (!jws.verifySignature()) {
                throw refused(Code.BAD_SIGNATURE, "the signature does not verify with key '" + PolicyRefusal.quote(kid) + "'");
            }
            return jws.getPayloadBytes();
        } catch (JoseException | RuntimeException e) {
            // jose4j refuses unknown "crit" headers (RFC 7515 section 4.1.11) and malformed signatures here.
            throw refused(Code.BAD_SIGNATURE, "the signature was not verified: " + PolicyRefusal.quote(String.valueOf(e.getMessage())));
        }
    }

    private static void checkSections(JsonNode tree) throws PolicyVerificationException {
        JsonNode sections = tree.get("sections");
        if (sections == null || !sections.isObject()) {
            return; // the schema says what is wrong
        }
        for (Iterator<String> names = sections.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PolicySections.ALL.contains(name)) {
                throw refused(Code.UNKNOWN_SECTION, "unknown section '" + PolicyRefusal.quote(name)
                        + "'; known: cellular, dns, features, filter, modem, tunnels");
            }
        }
    }

    private PolicyDocument checkClaims(JsonNode tree, String kid) throws PolicyVerificationException {
        long version = tree.get("version").longValue();
        Instant issuedAt = instant(tree, "issuedAt");
        Instant expiresAt = instant(tree, "expiresAt");
        if (!expiresAt.isAfter(issuedAt)) {
            throw refused(Code.SCHEMA, "expiresAt " + expiresAt + " is not after issuedAt " + issuedAt);
        }
        Instant now = clock.instant();
        if (issuedAt.isAfter(now.plus(clockSkew))) {
            throw refused(Code.NOT_YET_VALID, "issued at " + issuedAt + ", in the future (now " + now
                    + ", skew " + clockSkew.toSeconds() + " s)");
        }
        if (!expiresAt.isAfter(now.minus(clockSkew))) {
            throw refused(Code.EXPIRED, "expired at " + expiresAt + " (now " + now + ", skew "
                    + clockSkew.toSeconds() + " s)");
        }
        String target = tree.get("target").textValue();
        if (!forThisGateway(target)) {
            throw refused(Code.OTHER_TARGET, "the document is for '" + PolicyRefusal.quote(target)
                    + "', not for gateway '" + PolicyRefusal.quote(gatewayId) + "' or its groups");
        }
        long mark = highWaterMark.applyAsLong(target);
        if (version <= mark) {
            throw refused(Code.REPLAYED, "version " + version + " is not above " + mark
                    + ", the last accepted for '" + PolicyRefusal.quote(target) + "'");
        }
        Map<String, JsonNode> sections = new TreeMap<>();
        tree.get("sections").fields().forEachRemaining(e -> sections.put(e.getKey(), e.getValue()));
        return new PolicyDocument(version, issuedAt, expiresAt, target, kid, sections);
    }

    private boolean forThisGateway(String target) {
        if (target.startsWith(PolicyDocument.GROUP_PREFIX)) {
            return groups.contains(target.substring(PolicyDocument.GROUP_PREFIX.length()));
        }
        return target.equals(gatewayId);
    }

    private static Instant instant(JsonNode tree, String field) throws PolicyVerificationException {
        String text = tree.get(field).textValue();
        try {
            // RFC 3339 section 5.6 date-time; the schema's format assertion has checked it already.
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw refused(Code.SCHEMA, field + " is not an RFC 3339 date-time: '" + PolicyRefusal.quote(text) + "'");
        }
    }

    private static String strictUtf8(byte[] bytes, String what) throws PolicyVerificationException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw refused(Code.BAD_UTF8, what + " is not valid UTF-8");
        }
    }

    private static PolicyVerificationException refused(Code code, String reason) {
        return new PolicyVerificationException(code, reason);
    }

    /** Settings of a {@link PolicyVerifier}; the gateway id and the high-water marks are required. */
    public static final class Builder {
        private final Map<String, PublicKey> trustedKeys = new TreeMap<>();
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private int maxDepth = DEFAULT_MAX_DEPTH;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private String gatewayId;
        private Set<String> groups = Set.of();
        private ToLongFunction<String> highWaterMark;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Trusts an Ed25519 public key under a key id; several keys allow rotation. */
        public Builder trustKey(String kid, PublicKey key) throws InvalidKeySpecException {
            if (kid == null || kid.isEmpty()) {
                throw new IllegalArgumentException("empty key id");
            }
            trustedKeys.put(kid, PolicyKeys.requireEd25519(Objects.requireNonNull(key, "key")));
            return this;
        }

        /** Trusts every key of the map (key id to Ed25519 public key). */
        public Builder trustKeys(Map<String, PublicKey> keys) throws InvalidKeySpecException {
            for (Map.Entry<String, PublicKey> e : keys.entrySet()) {
                trustKey(e.getKey(), e.getValue());
            }
            return this;
        }

        public Builder maxPayloadBytes(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxPayloadBytes below 64: " + bytes);
            }
            this.maxPayloadBytes = bytes;
            return this;
        }

        public Builder maxDepth(int depth) {
            if (depth < 4 || depth > 1000) {
                throw new IllegalArgumentException("maxDepth outside 4-1000: " + depth);
            }
            this.maxDepth = depth;
            return this;
        }

        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("clock skew outside 0-1 h: " + skew);
            }
            this.clockSkew = skew;
            return this;
        }

        /** This gateway's id and the groups it belongs to (names without {@code group:}). */
        public Builder gateway(String id, Set<String> memberOf) {
            this.gatewayId = Objects.requireNonNull(id, "id");
            this.groups = Set.copyOf(memberOf);
            return this;
        }

        /** The last accepted version per target ({@code gw-1}, {@code group:north}); 0 when none. */
        public Builder highWaterMark(ToLongFunction<String> marks) {
            this.highWaterMark = Objects.requireNonNull(marks, "marks");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public PolicyVerifier build() {
            if (trustedKeys.isEmpty()) {
                throw new IllegalStateException("no trusted policy key");
            }
            return new PolicyVerifier(this);
        }
    }
}
