package io.sitegate.core.internal;

import io.sitegate.core.Secret;
import io.sitegate.core.SecretException;
import io.sitegate.core.SecretStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@link SecretStore}: files in {@code ${karaf.etc}/secrets}. The directory is
 * created owner-only when missing; a directory others can enter is reported, the files themselves
 * are still checked one by one on every read.
 */
@Component(service = SecretStore.class, immediate = true)
public final class SecretStoreComponent implements SecretStore {
    private static final Logger LOG = LoggerFactory.getLogger(SecretStoreComponent.class);

    private final FileSecretStore store;

    @Activate
    public SecretStoreComponent() {
        Path dir = Paths.get(System.getProperty("karaf.etc", "etc"), "secrets");
        FileSecretStore fileStore;
        try {
            fileStore = FileSecretStore.forProcessUser(dir);
        } catch (IOException | RuntimeException e) {
            // Stay registered, so the modems start and say why their secrets cannot be read.
            LOG.error("cannot tell which user the gateway runs as, every secret is refused: {}", e.toString());
            fileStore = new FileSecretStore(dir, () -> "<unknown user>");
        }
        this.store = fileStore;
        prepare(store.directory());
    }

    private static void prepare(Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                LOG.info("created the secrets directory {} (mode 0700)", dir);
                return;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (!PosixFilePermissions.fromString("rwx------").containsAll(perms)) {
                LOG.warn("secrets directory {} has mode {}: others can list the secret names; chmod 700 it",
                        dir, FileSecretStore.octal(perms));
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("cannot prepare the secrets directory {}: {}", dir, e.toString());
        }
    }

    @Override
    public Secret read(String name) throws SecretException {
        return store.read(name);
    }

    @Override
    public Path directory() {
        return store.directory();
    }
}
