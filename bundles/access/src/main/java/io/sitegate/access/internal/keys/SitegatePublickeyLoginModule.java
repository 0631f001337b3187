package io.sitegate.access.internal.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.modules.AbstractKarafLoginModule;
import org.apache.karaf.jaas.modules.publickey.PublickeyCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Public-key login against {@code etc/keys.properties}, for Ed25519, ECDSA and RSA keys (Karaf's own
 * PublickeyLoginModule compares only DSA, RSA and EC keys and refuses Ed25519 with "Unsupported key type").
 *
 * <p>The file's format is Karaf's: {@code user=<base64 key blob>,_g_:group} and {@code _g_\:group = group,role,...}.
 * A user's line names exactly one key and group references only; the roles come from the group lines. A line
 * that cannot be read refuses that user only, with one log line naming the user and the problem.
 */
public final class SitegatePublickeyLoginModule extends AbstractKarafLoginModule {
    private static final Logger LOG = LoggerFactory.getLogger(SitegatePublickeyLoginModule.class);
    static final String GROUP_PREFIX = "_g_:";

    private Path usersFile;

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState, Map<String, ?> options) {
        super.initialize(subject, callbackHandler, options);
        usersFile = Paths.get(String.valueOf(options.get("users")));
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("Username: ");
        PublickeyCallback key = new PublickeyCallback();
        try {
            callbackHandler.handle(new Callback[] {name, key});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new LoginException("no public key to check: " + e.getMessage());
        }
        String userName = name.getName();
        PublicKey presented = key.getPublicKey();
        if (userName == null || presented == null) {
            throw new FailedLoginException("login failed");
        }
        Properties keys = load(usersFile);
        principals = new HashSet<>(OperatorKeys.principals(keys, userName, presented).orElseThrow(
                () -> new FailedLoginException("login failed")));
        user = userName;
        succeeded = true;
        return true;
    }

    static Properties load(Path file) throws LoginException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            LOG.error("cannot read the operator keys {}: {}", file, e.toString());
            throw new LoginException("operator keys unreadable");
        }
        return p;
    }
}
