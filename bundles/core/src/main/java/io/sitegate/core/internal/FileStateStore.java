package io.sitegate.core.internal;

import io.sitegate.core.CorruptStateException;
import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link StateStore} on a local directory. Each key has a current file {@code <key>.state} and the
 * previous generation {@code <key>.state.prev}. A write goes to a temporary file which is fsynced,
 * the valid current file becomes the previous one, the temporary file is renamed over the current
 * one, and the directory is fsynced. Power loss at any point leaves at least one valid generation.
 *
 * <p>The documents say which SIM and modem are bound and how much data was used: they are created
 * owner-only (files 0600, directories 0700) whatever the umask, and {@link #open()} tightens files
 * and the directory left looser by an older version or by hand.
 */
public final class FileStateStore implements StateStore {
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final String CURRENT = ".state";
    private static final String PREVIOUS = ".state.prev";
    private static final String TEMP = ".state.tmp";
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

    /** Told when a generation is found unusable, so the owner can log, raise health, post events. */
    @FunctionalInterface
    public interface ProblemSink {
        void problem(String key, String problem, boolean recovered);
    }

    private final Path directory;
    private final ProblemSink problems;
    private final Clock clock;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public FileStateStore(Path directory, ProblemSink problems, Clock clock) {
        this.directory = directory.toAbsolutePath().normalize();
        this.problems = problems;
        this.clock = clock;
    }

    /** The directory the documents live in. */
    public Path directory() {
        return directory;
    }

    /**
     * Creates the directory (0700) when missing, removes temporary files an interrupted write left
     * and tightens the directory to 0700 and its files to 0600.
     *
     * @throws StateStoreException when the directory cannot be created or is not a directory
     */
    public void open() throws StateStoreException {
        try {
            if (posix()) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            } else {
                Files.createDirectories(directory);
            }
            tighten(directory, DIRECTORY_MODE);
        } catch (FileSystemException e) {
            throw new StateStoreException("cannot create state directory " + directory + ": " + describe(e), e);
        } catch (IOException e) {
            throw new StateStoreException("cannot create state directory " + directory + ": " + e, e);
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().contains(TEMP)) {
                    Files.deleteIfExists(p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    tighten(p, FILE_MODE);
                }
            }
        } catch (IOException e) {
            throw new StateStoreException("cannot list state directory " + directory + ": " + describe(e), e);
        }
    }

    @Override
    public void write(String key, byte[] content) throws StateStoreException {
        checkKey(key);
        if (content == null) {
            throw new StateStoreException("state '" + key + "': content is null");
        }
        if (content.length > MAX_DOCUMENT_BYTES) {
            throw new StateStoreException("state '" + key + "': " + content.length + " bytes exceed the limit of "
                    + MAX_DOCUMENT_BYTES);
        }
        ReentrantLock lock = lockFor(key);
        lock.lock();
        try {
            Path current = directory.resolve(key + CURRENT);
            Path previous = directory.resolve(key + PREVIOUS);
            Optional<StateFileFormat.Decoded> valid = decodeQuietly(current);
            long generation = Math.max(valid.map(StateFileFormat.Decoded::generation).orElse(0L),
                    decodeQuietly(previous).map(StateFileFormat.Decoded::generation).orElse(0L)) + 1;
            Path temp = directory.resolve(key + TEMP + "-" + Long.toHexString(System.nanoTime()));
            byte[] encoded = StateFileFormat.encode(generation, clock.instant(), content);
            try {
                writeSynced(temp, encoded);
                if (valid.isPresent()) {
                    Files.move(current, previous, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                // A corrupt current file is simply replaced: the good previous generation stays.
                Files.move(temp, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncDirectory();
            } catch (IOException e) {
                deleteQuietly(temp);
                throw new StateStoreException("cannot write state '" + key + "' in " + directory + ": " + describe(e), e);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<StoredState> read(String key) throws StateStoreException {
        checkKey(key);
        ReentrantLock lock = lockFor(key);
        lock.lock();
        try {
            Path current = directory.resolve(key + CURRENT);
            Path previous = directory.resolve(key + PREVIOUS);
            String currentProblem;
            try {
                StateFileFormat.Decoded d = StateFileFormat.decode(Files.readAllBytes(current));
                return Optional.of(new StoredState(key, d.content(), d.generation(), d.written(), Optional.empty()));
            } catch (NoSuchFileException e) {
                if (!Files.exists(previous)) {
                    return Optional.empty();
                }
                currentProblem = "current generation missing (write interrupted)";
            } catch (StateFileFormat.Unusable e) {
                currentProblem = "current generation " + e.getMessage();
            } catch (IOException e) {
                throw new StateStoreException("cannot read state '" + key + "' in " + directory + ": " + describe(e), e);
            }
            try {
                StateFileFormat.Decoded d = StateFileFormat.decode(Files.readAllBytes(previous));
                problems.problem(key, currentProblem, true);
                return Optional.of(new StoredState(key, d.content(), d.generation(), d.written(),
                        Optional.of(currentProblem)));
            } catch (NoSuchFileException e) {
                problems.problem(key, currentProblem + "; no previous generation", false);
                throw new CorruptStateException("state '" + key + "': " + currentProblem + "; no previous generation");
            } catch (StateFileFormat.Unusable e) {
                String all = currentProblem + "; previous generation " + e.getMessage();
                problems.problem(key, all, false);
                throw new CorruptStateException("state '" + key + "': " + all);
            } catch (IOException e) {
                throw new StateStoreException("cannot read state '" + key + "' in " + directory + ": " + describe(e), e);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean delete(String key) throws StateStoreException {
        checkKey(key);
        ReentrantLock lock = lockFor(key);
        lock.lock();
        try {
            boolean removed = Files.deleteIfExists(directory.resolve(key + CURRENT));
            removed |= Files.deleteIfExists(directory.resolve(key + PREVIOUS));
            syncDirectory();
            return removed;
        } catch (IOException e) {
            throw new StateStoreException("cannot delete state '" + key + "' in " + directory + ": " + describe(e), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SortedSet<String> keys() throws StateStoreException {
        SortedSet<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.map(p -> p.getFileName().toString()).forEach(name -> {
                if (name.endsWith(CURRENT)) {
                    keys.add(name.substring(0, name.length() - CURRENT.length()));
                } else if (name.endsWith(PREVIOUS)) {
                    keys.add(name.substring(0, name.length() - PREVIOUS.length()));
                }
            });
        } catch (NoSuchFileException e) {
            return keys;
        } catch (IOException e) {
            throw new StateStoreException("cannot list state directory " + directory + ": " + describe(e), e);
        }
        return keys;
    }

    private static void checkKey(String key) throws StateStoreException {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new StateStoreException("invalid state key '" + key
                    + "': expected 1-100 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
    }

    private ReentrantLock lockFor(String key) {
        return locks.computeIfAbsent(key, k -> new ReentrantLock());
    }

    private static Optional<StateFileFormat.Decoded> decodeQuietly(Path file) {
        try {
            return Optional.of(StateFileFormat.decode(Files.readAllBytes(file)));
        } catch (IOException | StateFileFormat.Unusable e) {
            return Optional.empty();
        }
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] attrs = file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
        try (FileChannel ch = FileChannel.open(file, options, attrs)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private boolean posix() {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Removes permission bits beyond {@code mode}; never adds any, never follows a link. */
    private static void tighten(Path p, Set<PosixFilePermission> mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        PosixFileAttributes attrs = view.readAttributes();
        if (attrs.isSymbolicLink()) {
            return;
        }
        if (!mode.containsAll(attrs.permissions())) {
            Set<PosixFilePermission> kept = java.util.EnumSet.noneOf(PosixFilePermission.class);
            kept.addAll(attrs.permissions());
            kept.retainAll(mode);
            view.setPermissions(kept);
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the next open() removes leftover temporary files
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + e.getMessage() + ")";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason() + " (" + fse.getFile() + ")";
        }
        return e.toString();
    }

}
