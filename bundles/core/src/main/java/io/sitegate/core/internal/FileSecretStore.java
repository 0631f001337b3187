package io.sitegate.core.internal;

import io.sitegate.core.Secret;
import io.sitegate.core.SecretException;
import io.sitegate.core.SecretStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@link SecretStore} on a directory of one-value files. Checks are made on every read, on the
 * file itself (symbolic links are refused), so a file whose mode was loosened since the last
 * read is refused from then on.
 */
public final class FileSecretStore implements SecretStore {
    /** Secrets are PINs, passwords, keys: anything larger is a mistake (wrong file). */
    static final int MAX_BYTES = 64 * 1024;
    private static final Set<PosixFilePermission> ALLOWED =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path directory;
    private final UserPrincipal owner;

    /**
     * @param directory the secrets directory
     * @param owner     the user that must own every secret file (the gateway's user)
     */
    public FileSecretStore(Path directory, UserPrincipal owner) {
        this.directory = directory.toAbsolutePath().normalize();
        this.owner = owner;
    }

    /**
     * A store whose files must belong to the user this process runs as: the owner of
     * {@code /proc/self} on Linux (works without a passwd entry), else the user named by
     * {@code user.name}.
     */
    public static FileSecretStore forProcessUser(Path directory) throws IOException {
        Path self = directory.getFileSystem().getPath("/proc/self");
        UserPrincipal me;
        if (Files.exists(self)) {
            me = Files.getOwner(self);
        } else {
            me = directory.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        }
        return new FileSecretStore(directory, me);
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Secret read(String name) throws SecretException {
        if (!SecretStore.isValidName(name)) {
            throw new SecretException("invalid secret name '" + io.sitegate.core.SafeText.escape(String.valueOf(name))
                    + "': expected 1-100 characters of A-Z, a-z, 0-9, '.', '_', '-', not starting with '.'"
                    + " (a file name in " + directory + ", no path)");
        }
        Path file = directory.resolve(name);
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new SecretException("secret '" + name + "': file " + file + " does not exist;"
                    + " create it with mode 0600, owned by " + owner.getName());
        } catch (UnsupportedOperationException e) {
            throw new SecretException("secret '" + name + "': " + file + " is on a file system without POSIX permissions");
        } catch (IOException e) {
            throw new SecretException("secret '" + name + "': cannot read the attributes of " + file + ": " + describe(e), e);
        }
        if (!attrs.isRegularFile()) {
            throw new SecretException("secret '" + name + "': " + file + " is not a regular file ("
                    + (attrs.isSymbolicLink() ? "a symbolic link" : attrs.isDirectory() ? "a directory" : "a special file")
                    + ")");
        }
        if (!owner.equals(attrs.owner())) {
            throw new SecretException("secret '" + name + "': " + file + " is owned by " + attrs.owner().getName()
                    + ", expected " + owner.getName());
        }
        Set<PosixFilePermission> perms = attrs.permissions();
        if (!ALLOWED.containsAll(perms) || !perms.contains(PosixFilePermission.OWNER_READ)) {
            throw new SecretException("secret '" + name + "': " + file + " has mode " + octal(perms) + " ("
                    + PosixFilePermissions.toString(perms) + "), expected 0600 or 0400");
        }
        if (attrs.size() > MAX_BYTES) {
            throw new SecretException("secret '" + name + "': " + file + " has " + attrs.size()
                    + " bytes, more than the limit of " + MAX_BYTES);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SecretException("secret '" + name + "': cannot read " + file + ": " + describe(e), e);
        }
        String value = stripOneLineBreak(decode(name, file, bytes));
        if (value.isEmpty()) {
            throw new SecretException("secret '" + name + "': " + file + " is empty");
        }
        return new Secret(name, value);
    }

    private static String decode(String name, Path file, byte[] bytes) throws SecretException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new SecretException("secret '" + name + "': " + file + " is not UTF-8 text");
        }
    }

    private static String stripOneLineBreak(String s) {
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        if (s.endsWith("\n")) {
            return s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** {@code 0644} for rw-r--r--. */
    static String octal(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("0%03o", mode);
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
