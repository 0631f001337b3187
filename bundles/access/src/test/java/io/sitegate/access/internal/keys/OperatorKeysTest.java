package io.sitegate.access.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Key comparison and role resolution of the operator login, with keys made by the JDK and encoded as OpenSSH does. */
class OperatorKeysTest {

    static PublicKey generate(String algorithm, Object param) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (param instanceof String curve) {
            g.initialize(new ECGenParameterSpec(curve));
        } else if (param instanceof Integer bits) {
            g.initialize(bits);
        }
        return g.generateKeyPair().getPublic();
    }

    /** The OpenSSH blob of a JDK key (RFC 4253 6.6, RFC 5656 3.1, RFC 8709 4). */
    static String blob(PublicKey key) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        if (key instanceof RSAPublicKey rsa) {
            string(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
            string(out, rsa.getPublicExponent().toByteArray());
            string(out, rsa.getModulus().toByteArray());
        } else if (key instanceof ECPublicKey ec) {
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            String curve = size == 32 ? "nistp256" : size == 48 ? "nistp384" : "nistp521";
            string(out, ("ecdsa-sha2-" + curve).getBytes(StandardCharsets.US_ASCII));
            string(out, curve.getBytes(StandardCharsets.US_ASCII));
            byte[] point = new byte[1 + 2 * size];
            point[0] = 4;
            fixed(ec.getW().getAffineX(), point, 1, size);
            fixed(ec.getW().getAffineY(), point, 1 + size, size);
            string(out, point);
        } else {
            byte[] spki = key.getEncoded();
            string(out, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
            string(out, Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static void string(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static void fixed(BigInteger v, byte[] into, int offset, int size) {
        byte[] b = v.toByteArray();
        int copy = Math.min(b.length, size);
        System.arraycopy(b, b.length - copy, into, offset + size - copy, copy);
    }

    static Properties keys(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader("_g_\\:admingroup = group,admin,viewer,ssh\n_g_\\:viewergroup = group,viewer,ssh\n" + text));
        return p;
    }

    static Set<String> names(Set<java.security.Principal> principals) {
        return principals.stream().map(p -> p.getClass().getSimpleName() + ":" + p.getName()).collect(Collectors.toSet());
    }

    @Test
    void everyKeyTypeMatchesItselfOnly() throws Exception {
        PublicKey[] keys = {generate("Ed25519", null), generate("EC", "secp256r1"), generate("EC", "secp384r1"),
            generate("EC", "secp521r1"), generate("RSA", 2048)};
        PublicKey[] others = {generate("Ed25519", null), generate("EC", "secp256r1"), generate("EC", "secp384r1"),
            generate("EC", "secp521r1"), generate("RSA", 2048)};
        for (int i = 0; i < keys.length; i++) {
            OpenSshKey listed = OpenSshKey.parse(blob(keys[i]));
            assertThat(listed.matches(keys[i])).as(listed.type()).isTrue();
            for (int j = 0; j < others.length; j++) {
                assertThat(listed.matches(others[j])).as(listed.type() + " vs another " + others[j].getAlgorithm()).isFalse();
                if (j != i) {
                    assertThat(listed.matches(keys[j])).as(listed.type() + " vs " + keys[j].getAlgorithm()).isFalse();
                }
            }
        }
    }

    @Test
    void malformedBlobsAreRefusedWithAReason() throws Exception {
        String ed = blob(generate("Ed25519", null));
        byte[] raw = Base64.getDecoder().decode(ed);
        assertThatThrownBy(() -> OpenSshKey.parse("not base64!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> OpenSshKey.parse(Base64.getEncoder().encodeToString(Arrays.copyOf(raw, raw.length - 5))))
                .hasMessageContaining("truncated");
        byte[] longer = Arrays.copyOf(raw, raw.length + 3);
        assertThatThrownBy(() -> OpenSshKey.parse(Base64.getEncoder().encodeToString(longer))).hasMessageContaining("too many");
        String ec = blob(generate("EC", "secp256r1"));
        byte[] ecRaw = Base64.getDecoder().decode(ec);
        // ecdsa-sha2-nistp256 whose curve field says nistp384
        byte[] wrongCurve = ecRaw.clone();
        System.arraycopy("nistp384".getBytes(StandardCharsets.US_ASCII), 0, wrongCurve, 4 + 19 + 4, 8);
        assertThatThrownBy(() -> OpenSshKey.parse(Base64.getEncoder().encodeToString(wrongCurve))).hasMessageContaining("names curve");
        assertThatThrownBy(() -> OpenSshKey.parse(Base64.getEncoder().encodeToString(new byte[] {0, 0, 0, 7, 's', 's', 'h', '-', 'd', 's', 's'})))
                .hasMessageContaining("unsupported key type 'ssh-dss'");
    }

    @Test
    void rolesComeFromTheUsersGroupsOnly() throws Exception {
        PublicKey viewer = generate("Ed25519", null);
        PublicKey admin = generate("EC", "secp256r1");
        Properties keys = keys("alice=" + blob(viewer) + ",_g_:viewergroup\n"
                + "bob=" + blob(admin) + ",_g_:admingroup\n"
                + "mallory=" + blob(viewer) + ",_g_:viewergroup,admin\n"
                + "broken=AAAA,_g_:admingroup\n");
        assertThat(names(OperatorKeys.principals(keys, "alice", viewer).orElseThrow()))
                .containsExactlyInAnyOrder("UserPrincipal:alice", "GroupPrincipal:viewergroup", "RolePrincipal:viewer", "RolePrincipal:ssh");
        assertThat(names(OperatorKeys.principals(keys, "bob", admin).orElseThrow())).contains("RolePrincipal:admin");
        assertThat(OperatorKeys.principals(keys, "alice", admin)).as("bob's key for alice").isEmpty();
        assertThat(OperatorKeys.principals(keys, "nobody", viewer)).isEmpty();
        assertThat(OperatorKeys.principals(keys, "_g_:admingroup", viewer)).as("a group is no user").isEmpty();
        assertThat(names(OperatorKeys.principals(keys, "mallory", viewer).orElseThrow()))
                .as("a bare role in a key line is ignored").doesNotContain("RolePrincipal:admin");
        assertThat(OperatorKeys.principals(keys, "broken", viewer)).isEmpty();
        assertThat(OperatorKeys.principals(keys, "alice", viewer)).as("a broken line does not stop others").isPresent();
    }
}
