package io.sitegate.tunnel.internal.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tunnel supervisor's private run directory, {@code <base>/sitegate-tunnel-<digits>}: OpenVPN's configuration and
 * its management socket. It holds an {@code owner} file with the gateway's process id, so that a gateway that was
 * killed (power loss, {@code kill -9}) and never removed its directory has it removed at the next start, while the
 * directories of gateways still running beside it (a lab, a test) are left alone.
 */
final class RunDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
    static final String PREFIX = "sitegate-tunnel-";
    static final String OWNER = "owner";

    private RunDirectory() {
    }

    /**
     * Where the run directory goes: {@code <base>/sitegate-tunnel-<up to 19 digits>/<name of up to 32>.sock} must fit
     * the 107 bytes of a UNIX socket path, so a base longer than 33 characters (Karaf's {@code data/tmp} in an
     * installation deep in the file system, found by the site lab) gives way to the first writable fallback.
     */
    static Path runBase(Path tmp, Path... fallbacks) {
        if (tmp.toAbsolutePath().toString().length() <= 33) {
            return tmp;
        }
        for (Path f : fallbacks) {
            if (Files.isDirectory(f) && Files.isWritable(f)) {
                return f;
            }
        }
        return tmp;
    }

    /** Removes what killed gateways left in {@code base}, then creates this gateway's directory (mode 0700). */
    static Path create(Path base) throws IOException {
        List<Path> removed = sweepStale(base);
        if (!removed.isEmpty()) {
            LOG.info("tunnel supervisor: removed {} run director{} of gateways no longer running: {}", removed.size(),
                    removed.size() == 1 ? "y" : "ies", removed);
        }
        Path dir = Files.createTempDirectory(base, PREFIX, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(dir.resolve(OWNER), Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
        return dir;
    }

    /**
     * The run directories in {@code base} whose {@code owner} process is gone, removed. A directory without a readable
     * owner, or whose owner still runs, stays (a process id reused since is taken as alive: the safe side).
     */
    static List<Path> sweepStale(Path base) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path dir : dirs) {
                Optional<Long> owner = owner(dir);
                if (owner.isPresent() && ProcessHandle.of(owner.get()).isEmpty() && delete(dir)) {
                    removed.add(dir);
                }
            }
        } catch (IOException e) {
            LOG.debug("tunnel supervisor: cannot look for stale run directories in {}: {}", base, e.toString());
        }
        return removed;
    }

    private static Optional<Long> owner(Path dir) {
        try {
            return Optional.of(Long.parseLong(Files.readString(dir.resolve(OWNER), StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Deletes the directory and the files in it (it has no subdirectories); false when something stayed. */
    static boolean delete(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", dir, e.toString());
            return false;
        }
    }
}
