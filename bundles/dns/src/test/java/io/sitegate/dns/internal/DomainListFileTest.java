package io.sitegate.dns.internal;

import io.sitegate.dns.FirewallMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainListFileTest {

    @TempDir
    Path dir;

    @Test
    void readsPatternsCommentsAndBlankLines() throws IOException {
        Set<String> patterns = read("""
                # block list, maintained by ops
                Ads.Example.com.

                =www.tracker.example   # only this name
                \t metrics.example.net \t
                ads.example.com
                """);

        assertThat(patterns).containsExactlyInAnyOrder("ads.example.com", "=www.tracker.example", "metrics.example.net");
    }

    @Test
    void readsHostsFileLinesAndSkipsTheDevicesOwnNames() throws IOException {
        Set<String> patterns = read("""
                127.0.0.1 localhost
                127.0.0.1 localhost.localdomain
                127.0.0.1 local
                255.255.255.255 broadcasthost
                ::1 localhost ip6-localhost ip6-loopback
                fe80::1%lo0 localhost
                ff02::1 ip6-allnodes
                0.0.0.0 0.0.0.0
                0.0.0.0 ads.example.com
                127.0.0.1\ta.example\tB.Example.   # two names on one line
                ::   ipv6.ads.example
                """);

        assertThat(patterns).containsExactlyInAnyOrder("ads.example.com", "a.example", "b.example", "ipv6.ads.example");
    }

    @Test
    void toleratesCrLfLineEnds() throws IOException {
        assertThat(read("# list\r\nexample.com\r\n0.0.0.0 ads.example\r\n\r\n"))
                .containsExactlyInAnyOrder("example.com", "ads.example");
    }

    @Test
    void emptyFileHasNoPatterns() throws IOException {
        assertThat(read("")).isEmpty();
        assertThat(read("# nothing yet\n\n")).isEmpty();
    }

    @Test
    void invalidNameIsReportedWithFileAndLine() throws IOException {
        Path file = write("good.example\n# comment\n*.ads.example\n");

        assertThatThrownBy(() -> DomainListFile.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ":3: invalid name '*.ads.example'")
                .hasMessageContaining("no wildcards");
    }

    @Test
    void invalidNameInAHostsLineIsReportedWithItsLine() {
        assertThatThrownBy(() -> read("0.0.0.0 ok.example\n0.0.0.0 fine.example bad..example\n"))
                .hasMessage("list.txt:2: invalid name 'bad..example': empty label");
    }

    @Test
    void lineWithSeveralWordsButNoAddressIsRejected() {
        assertThatThrownBy(() -> read("ads.example tracker.example\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("list.txt:1: expected one pattern, or an address followed by names");
    }

    @Test
    void addressWithoutNamesIsRejected() {
        assertThatThrownBy(() -> read("example.com\n10.0.0.1\n"))
                .hasMessage("list.txt:2: '10.0.0.1' is an address, not a name");
    }

    @Test
    void bytesThatAreNotUtf8AreAcceptedInCommentsAndReportedInNames() throws IOException {
        Path file = dir.resolve("latin1.txt");
        Files.write(file, new byte[] {'#', ' ', 'J', 'o', 's', (byte) 0xE9, '\n', 'o', 'k', '.', 'e', 'x', '\n',
                'b', (byte) 0xE9, '.', 'e', 'x', '\n'});

        assertThatThrownBy(() -> DomainListFile.load(file))
                .hasMessageStartingWith(file + ":3: invalid name")
                .hasMessageContaining("U+FFFD");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("no-such-list.txt");

        assertThatThrownBy(() -> DomainListFile.load(missing))
                .isInstanceOf(IOException.class)
                .hasMessage("DNS firewall list " + missing + " does not exist");
    }

    @Test
    void directoryIsNotAList() {
        assertThatThrownBy(() -> DomainListFile.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("DNS firewall list " + dir + " cannot be read");
    }

    @Test
    void recognisesAddressesByTheirCharactersOnly() {
        assertThat(DomainListFile.looksLikeAddress("0.0.0.0")).isTrue();
        assertThat(DomainListFile.looksLikeAddress("192.168.1.254")).isTrue();
        assertThat(DomainListFile.looksLikeAddress("::1")).isTrue();
        assertThat(DomainListFile.looksLikeAddress("2001:db8::1")).isTrue();
        assertThat(DomainListFile.looksLikeAddress("1.2.3")).isFalse();
        assertThat(DomainListFile.looksLikeAddress("1.2.3.4.5")).isFalse();
        assertThat(DomainListFile.looksLikeAddress("1234.2.3.4")).isFalse();
        assertThat(DomainListFile.looksLikeAddress("1..2.3")).isFalse();
        assertThat(DomainListFile.looksLikeAddress("a1.example")).isFalse();
        assertThat(DomainListFile.looksLikeAddress("123.example")).isFalse();
    }

    @Test
    void hundredThousandLineBlockListLoadsIntoTheEngine() throws IOException {
        Random random = new Random(7);
        Set<String> names = new HashSet<>();
        StringBuilder text = new StringBuilder("# generated block list\n127.0.0.1 localhost\n");
        while (names.size() < 100_000) {
            String name = "h" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + ".ads" + random.nextInt(50) + ".example";
            if (names.add(name)) {
                text.append(names.size() % 2 == 0 ? "0.0.0.0 " : "").append(name).append("\r\n");
            }
        }
        Path file = write(text.toString());

        long start = System.nanoTime();
        Set<String> patterns = DomainListFile.load(file);
        FirewallEngine engine = new FirewallEngine(FirewallMode.DENY_LIST, null);
        engine.replaceRules("config", Set.of(), patterns);
        System.out.printf("read and loaded %d-line list in %d ms%n", names.size(), (System.nanoTime() - start) / 1_000_000);

        assertThat(patterns).isEqualTo(names);
        for (String name : names) {
            assertThat(engine.decide("x." + name).allowed()).isFalse();
        }
        assertThat(engine.decide("localhost").allowed()).isTrue();
        assertThat(engine.decide("ads1.example").allowed()).isTrue();
    }

    private Set<String> read(String text) throws IOException {
        return DomainListFile.read(new StringReader(text), "list.txt");
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("list.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
