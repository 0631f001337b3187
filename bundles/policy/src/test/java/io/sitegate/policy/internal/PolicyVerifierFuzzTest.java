package io.sitegate.policy.internal;

import static io.sitegate.policy.internal.PolicyFixture.good;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sitegate.policy.PolicyVerificationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * Garbage and mutations on the policy topic: never accepted, never anything but a
 * {@link PolicyVerificationException} (no runtime exception, no error). Seeded, so a failure repeats.
 */
class PolicyVerifierFuzzTest {
    private static final int ROUNDS = 10_000;
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.{}[]\":,=+/ \n\u0000".getBytes(StandardCharsets.ISO_8859_1);

    private final PolicyFixture f = new PolicyFixture();
    private final Map<io.sitegate.policy.PolicyRefusal.Code, Integer> codes = new EnumMap<>(io.sitegate.policy.PolicyRefusal.Code.class);

    private void mustRefuse(byte[] input, String what) {
        try {
            f.verifier.verify(input);
            fail("accepted " + what + ": " + new String(input, StandardCharsets.ISO_8859_1));
        } catch (PolicyVerificationException e) {
            codes.merge(e.code(), 1, Integer::sum);
        } catch (Throwable t) {
            throw new AssertionError("not a refusal for " + what + ": " + new String(input, StandardCharsets.ISO_8859_1), t);
        }
    }

    @Test
    void randomByteStringsAreRefused() {
        Random random = new Random(19);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] b = new byte[random.nextInt(400)];
            if (i % 2 == 0) {
                random.nextBytes(b);
            } else {
                for (int j = 0; j < b.length; j++) { // mostly-base64url noise gets past the first checks
                    b[j] = ALPHABET[random.nextInt(ALPHABET.length)];
                }
            }
            mustRefuse(b, "random bytes #" + i);
        }
        assertThat(codes).isNotEmpty();
    }

    @Test
    void randomMutationsOfAValidTokenAreRefused() throws Exception {
        byte[] valid = f.signed(good(1));
        f.verifier.verify(valid); // the original is good
        Random random = new Random(8037);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] m = mutate(valid, random);
            if (Arrays.equals(m, valid)) {
                continue;
            }
            mustRefuse(m, "mutation #" + i);
        }
        assertThat(codes).containsKeys(io.sitegate.policy.PolicyRefusal.Code.BAD_SIGNATURE,
                io.sitegate.policy.PolicyRefusal.Code.NOT_JWS);
    }

    @Test
    void tokensWithRandomSignedPayloadsAreRefused() {
        // signed garbage gets past the signature and exercises the JSON, schema and claims checks
        Random random = new Random(7515);
        String good = good(1);
        for (int i = 0; i < 2_000; i++) {
            byte[] p = good.getBytes(StandardCharsets.UTF_8);
            int n = 1 + random.nextInt(4);
            for (int k = 0; k < n; k++) {
                p[random.nextInt(p.length)] = (byte) random.nextInt(256);
            }
            if (Arrays.equals(p, good.getBytes(StandardCharsets.UTF_8))) {
                continue;
            }
            String token = PolicyFixture.ed25519Token("{\"alg\":\"EdDSA\",\"kid\":\"" + PolicyFixture.KID + "\"}", p,
                    f.key.getPrivate());
            try {
                f.verifier.verify(token.getBytes(StandardCharsets.US_ASCII));
                // a mutation inside a string value can still be a valid policy: that is fine, it is signed
            } catch (PolicyVerificationException e) {
                codes.merge(e.code(), 1, Integer::sum);
            } catch (Throwable t) {
                throw new AssertionError("not a refusal for signed payload " + new String(p, StandardCharsets.ISO_8859_1), t);
            }
        }
        assertThat(codes).containsKey(io.sitegate.policy.PolicyRefusal.Code.BAD_JSON);
    }

    private static byte[] mutate(byte[] in, Random random) {
        byte[] b = in.clone();
        switch (random.nextInt(6)) {
            case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8)); // flip a bit
            case 1 -> b[random.nextInt(b.length)] = ALPHABET[random.nextInt(ALPHABET.length)]; // replace a byte
            case 2 -> { // delete a byte
                int at = random.nextInt(b.length);
                byte[] d = new byte[b.length - 1];
                System.arraycopy(b, 0, d, 0, at);
                System.arraycopy(b, at + 1, d, at, b.length - at - 1);
                b = d;
            }
            case 3 -> { // insert a byte
                int at = random.nextInt(b.length + 1);
                byte[] d = new byte[b.length + 1];
                System.arraycopy(b, 0, d, 0, at);
                d[at] = (byte) random.nextInt(256);
                System.arraycopy(b, at, d, at + 1, b.length - at);
                b = d;
            }
            case 4 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncate
            default -> { // swap two bytes
                int x = random.nextInt(b.length);
                int y = random.nextInt(b.length);
                byte t = b[x];
                b[x] = b[y];
                b[y] = t;
            }
        }
        return b;
    }
}
