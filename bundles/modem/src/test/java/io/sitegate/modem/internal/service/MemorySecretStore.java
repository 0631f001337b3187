package io.sitegate.modem.internal.service;

import io.sitegate.core.Secret;
import io.sitegate.core.SecretException;
import io.sitegate.core.SecretStore;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Secrets from a map; a missing one fails like a missing file. */
final class MemorySecretStore implements SecretStore {
    private final Map<String, String> values = new HashMap<>();

    MemorySecretStore with(String name, String value) {
        values.put(name, value);
        return this;
    }

    @Override
    public Secret read(String name) throws SecretException {
        String v = values.get(name);
        if (v == null) {
            throw new SecretException("secret '" + name + "': file " + directory().resolve(name) + " does not exist");
        }
        return new Secret(name, v);
    }

    @Override
    public Path directory() {
        return Path.of("/opt/sitegate/etc/secrets");
    }
}
