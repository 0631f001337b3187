package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Operators log in with the key types OpenSSH makes, through OpenSSH's own client: Ed25519 (RFC 8709, OpenSSH's
 * default), ECDSA (RFC 5656) and RSA with SHA-2 signatures only (RFC 8332; a client forced to SHA-1 "ssh-rsa" is
 * refused). A viewer's Ed25519 key gets viewer rights only; an unlisted key and a broken line get nobody in, and
 * the broken line does not lock out the others.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OperatorKeysIT extends SitegateTestSupport {

    private static Path dir() {
        return Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "operator-keys");
    }

    @Configuration
    public Option[] config() throws Exception {
        Path dir = dir();
        Files.createDirectories(dir);
        List<Option> extra = new ArrayList<>();
        extra.add(editConfigurationFilePut("etc/keys.properties", "ed", keygen(dir, "ed", "ed25519") + ",_g_:admingroup"));
        extra.add(editConfigurationFilePut("etc/keys.properties", "edviewer", keygen(dir, "edviewer", "ed25519") + ",_g_:viewergroup"));
        extra.add(editConfigurationFilePut("etc/keys.properties", "ec384", keygen(dir, "ec384", "ecdsa", "-b", "384") + ",_g_:admingroup"));
        extra.add(editConfigurationFilePut("etc/keys.properties", "rsa", keygen(dir, "rsa", "rsa", "-b", "3072") + ",_g_:admingroup"));
        extra.add(editConfigurationFilePut("etc/keys.properties", "broken", "AAAAC3NzaC1lZDI1NTE5AAAAIBroken,_g_:admingroup"));
        keygen(dir, "stranger", "ed25519");
        extra.add(org.ops4j.pax.exam.CoreOptions.systemProperty("sitegate.it.keysDir").value(dir.toAbsolutePath().toString()));
        return distribution(extra.toArray(Option[]::new));
    }

    private static String keygen(Path dir, String name, String type, String... more) throws Exception {
        Path key = dir.resolve(name);
        if (!Files.exists(key)) {
            List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", name, "-t", type, "-f", key.toString()));
            cmd.addAll(List.of(more));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
            assertEquals(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), 0, p.waitFor());
        }
        return Files.readString(Paths.get(key + ".pub")).trim().split("\\s+")[1];
    }

    private static SshResult as(String user, String key, String... optionsAndCommand) throws Exception {
        String property = "sitegate.it.key." + key;
        System.setProperty(property, Paths.get(System.getProperty("sitegate.it.keysDir"), key).toString());
        return ssh(user, property, optionsAndCommand);
    }

    @Test
    public void ed25519EcdsaAndRsaKeysLogIn() throws Exception {
        for (String user : List.of("ed", "ec384", "rsa")) {
            SshResult r = as(user, user, "sitegate:status --check");
            assertEquals(user + ": " + r.output(), 0, r.exit());
            assertTrue(user + ": " + r.output(), r.output().contains("READY"));
        }
        SshResult sha2 = as("rsa", "rsa", "-o", "PubkeyAcceptedAlgorithms=rsa-sha2-512", "shell:echo sha2-works");
        assertTrue(sha2.output(), sha2.output().contains("sha2-works"));
    }

    @Test
    public void sftpIsOff() throws Exception {
        SshResult sftp = as("ed", "ed", "-s", "sftp");
        assertFalse(sftp.output(), sftp.output().contains("SSH_FXP") );
        assertNotEquals("the sftp subsystem is refused: " + sftp.output(), 0, sftp.exit());
    }

    @Test
    public void sha1RsaSignaturesAreRefused() throws Exception {
        SshResult sha1 = as("rsa", "rsa", "-o", "PubkeyAcceptedAlgorithms=ssh-rsa", "shell:echo should-not-run");
        assertNotEquals(sha1.output(), 0, sha1.exit());
        assertFalse(sha1.output(), sha1.output().contains("should-not-run"));
        assertTrue(sha1.output(), sha1.output().contains("Permission denied") || sha1.output().contains("no mutual signature"));
    }

    @Test
    public void anEd25519ViewerKeyGetsViewerRightsOnly() throws Exception {
        SshResult list = as("edviewer", "edviewer", "bundle:list -t 0 io.sitegate.core");
        assertTrue(list.output(), list.output().contains("Sitegate Core"));
        RbacIT.assertRefused("bundle:stop as an Ed25519 viewer", as("edviewer", "edviewer", "bundle:stop io.sitegate.core"));
        SshResult admin = as("ed", "ed", "shell:echo admin-works");
        assertTrue(admin.output(), admin.output().contains("admin-works"));
    }

    @Test
    public void unlistedKeysAndBrokenLinesGetNobodyIn() throws Exception {
        SshResult stranger = as("ed", "stranger", "shell:echo should-not-run");
        assertNotEquals(stranger.exit(), 0);
        assertFalse(stranger.output().contains("should-not-run"));
        // the viewer's key presented for the admin user name
        SshResult swapped = as("ed", "edviewer", "shell:echo should-not-run");
        assertFalse(swapped.output().contains("should-not-run"));
        SshResult broken = as("broken", "stranger", "shell:echo should-not-run");
        assertFalse(broken.output().contains("should-not-run"));
        // the broken line is reported, naming the user, and the others still log in
        String log = Files.readString(Paths.get(System.getProperty("karaf.log"), "karaf.log"));
        assertTrue("the broken line is logged", log.contains("etc/keys.properties, user 'broken'"));
        assertTrue(as("ed", "ed", "shell:echo still-works").output().contains("still-works"));
    }
}
