package io.sitegate.dns.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A file of firewall patterns ({@code firewall.allowFile}, {@code firewall.denyFile}): one pattern a
 * line, or hosts-file lines as published by block lists ({@code 0.0.0.0 ads.example.com}: every name
 * after the address becomes a pattern). {@code #} starts a comment, blank lines are ignored, CRLF
 * line ends are accepted. The loopback and multicast names of a stock hosts file ({@code localhost},
 * {@code broadcasthost}, {@code ip6-allnodes}...) and address "names" such as {@code 0.0.0.0} are
 * skipped in hosts lines, so a block list never blocks the device's own names.
 */
public final class DomainListFile {

    /** Names a stock hosts file maps that are never meant as firewall patterns. */
    private static final Set<String> HOSTS_FILE_NAMES = Set.of("localhost", "localhost.localdomain", "local",
            "broadcasthost", "ip6-localhost", "ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes",
            "ip6-allrouters", "ip6-allhosts");

    private DomainListFile() {
    }

    /**
     * Reads a pattern file. Bytes that are not UTF-8 do not stop the reading (they may be in a
     * comment); in a name they are reported as an invalid character.
     *
     * @return the normalised patterns
     * @throws IOException              when the file does not exist or cannot be read (the message names it)
     * @throws IllegalArgumentException {@code <file>:<line>: <why>} for the first line that is not valid
     */
    public static Set<String> load(Path file) throws IOException {
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        } catch (NoSuchFileException e) {
            throw new IOException("DNS firewall list " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IOException("DNS firewall list " + file + " cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new IOException("DNS firewall list " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads patterns from a reader.
     *
     * @param origin how messages name the input, usually the file path
     * @throws IllegalArgumentException {@code <origin>:<line>: <why>} for the first line that is not valid
     */
    public static Set<String> read(Reader reader, String origin) throws IOException {
        BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        Set<String> patterns = new HashSet<>();
        List<String> tokens = new ArrayList<>(4);
        int lineNumber = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            int comment = line.indexOf('#');
            tokenize(comment < 0 ? line : line.substring(0, comment), tokens);
            if (tokens.isEmpty()) {
                continue;
            }
            String first = tokens.get(0);
            if (tokens.size() == 1) {
                if (looksLikeAddress(first)) {
                    throw invalid(origin, lineNumber, "'" + first + "' is an address, not a name");
                }
                patterns.add(pattern(first, origin, lineNumber));
            } else if (looksLikeAddress(first)) {
                for (int i = 1; i < tokens.size(); i++) {
                    String name = tokens.get(i);
                    if (!looksLikeAddress(name) && !HOSTS_FILE_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
                        patterns.add(pattern(name, origin, lineNumber));
                    }
                }
            } else {
                throw invalid(origin, lineNumber, "expected one pattern, or an address followed by names "
                        + "(hosts-file line), found '" + DomainPatterns.printable(first) + " " + tokens.get(1) + "...'");
            }
        }
        return patterns;
    }

    private static String pattern(String token, String origin, int lineNumber) {
        String pattern = DomainPatterns.normalizeOrNull(token);
        if (pattern == null) {
            throw invalid(origin, lineNumber, "invalid name '" + DomainPatterns.printable(token) + "': "
                    + DomainPatterns.problem(token));
        }
        return pattern;
    }

    private static IllegalArgumentException invalid(String origin, int lineNumber, String why) {
        return new IllegalArgumentException(origin + ":" + lineNumber + ": " + why);
    }

    /** Splits on spaces and tabs without a regular expression: block lists have 100,000s of lines. */
    private static void tokenize(String line, List<String> tokens) {
        tokens.clear();
        int start = -1;
        for (int i = 0; i <= line.length(); i++) {
            boolean blank = i == line.length() || Character.isWhitespace(line.charAt(i));
            if (blank && start >= 0) {
                tokens.add(line.substring(start, i));
                start = -1;
            } else if (!blank && start < 0) {
                start = i;
            }
        }
    }

    /**
     * Whether a token is an IPv4 address (four dotted numbers) or looks like an IPv6 address
     * (hex digits and colons). Decided by its characters only: resolving it could block on DNS.
     */
    static boolean looksLikeAddress(String token) {
        if (token.indexOf(':') >= 0) {
            int zone = token.indexOf('%'); // fe80::1%lo0: the zone names an interface, any characters
            int end = zone < 0 ? token.length() : zone;
            for (int i = 0; i < end; i++) {
                char c = token.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            return true;
        }
        int dots = 0;
        int digits = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (digits == 0) {
                    return false;
                }
                dots++;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                digits++;
            } else {
                return false;
            }
        }
        return dots == 3 && digits > 0;
    }
}
