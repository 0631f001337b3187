package io.sitegate.dns.internal;

import io.sitegate.core.CorruptStateException;
import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;
import io.sitegate.core.internal.FileStateStore;
import io.sitegate.dns.DnsFirewall;
import io.sitegate.dns.FirewallMode;
import io.sitegate.dns.FirewallRule;
import io.sitegate.dns.FirewallVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static io.sitegate.dns.DnsFirewall.SOURCE_CONFIG;
import static io.sitegate.dns.DnsFirewall.SOURCE_OPERATOR;
import static io.sitegate.dns.DnsFirewall.SOURCE_POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FirewallEngineTest {
    private static final String KEY = "dns-firewall-operator";

    private final FirewallEngine engine = new FirewallEngine(FirewallMode.DENY_LIST, null);

    @Test
    void suffixPatternMatchesTheNameAndEveryNameBelowButNotLookAlikes() {
        engine.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("example.com"));

        assertThat(engine.decide("example.com").allowed()).isFalse();
        assertThat(engine.decide("www.example.com").allowed()).isFalse();
        assertThat(engine.decide("a.b.c.example.com").allowed()).isFalse();
        assertThat(engine.decide("notexample.com").allowed()).isTrue();
        assertThat(engine.decide("example.com.evil.net").allowed()).isTrue();
        assertThat(engine.decide("com").allowed()).isTrue();
        assertThat(engine.decide("www.example.co").allowed()).isTrue();
    }

    @Test
    void exactPatternMatchesThatNameOnly() {
        engine.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("=www.example.com"));

        Decision d = engine.decide("www.example.com");
        assertThat(d.allowed()).isFalse();
        assertThat(d.rule().pattern()).isEqualTo("=www.example.com");
        assertThat(engine.decide("a.www.example.com").allowed()).isTrue();
        assertThat(engine.decide("example.com").allowed()).isTrue();
    }

    @Test
    void mostSpecificPatternDecides() {
        engine.replaceRules(SOURCE_CONFIG, Set.of("cdn.example.com", "=example.com"),
                Set.of("example.com", "ads.cdn.example.com", "=img.cdn.example.com"));

        assertThat(patternFor("www.example.com")).isEqualTo("example.com");
        assertThat(engine.decide("www.example.com").allowed()).isFalse();
        assertThat(patternFor("example.com")).isEqualTo("=example.com"); // exact before suffix
        assertThat(engine.decide("example.com").allowed()).isTrue();
        assertThat(patternFor("x.cdn.example.com")).isEqualTo("cdn.example.com"); // longer suffix
        assertThat(engine.decide("x.cdn.example.com").allowed()).isTrue();
        assertThat(engine.decide("t.ads.cdn.example.com").allowed()).isFalse();
        assertThat(engine.decide("img.cdn.example.com").allowed()).isFalse();
        assertThat(engine.decide("a.img.cdn.example.com").allowed()).isTrue();
    }

    @Test
    void allowWinsOverDenyOfTheSamePatternWithinAndAcrossSources() {
        engine.replaceRules(SOURCE_CONFIG, Set.of("example.com"), Set.of("example.com", "=x.example.net"));
        engine.replaceRules(SOURCE_POLICY, Set.of("=x.example.net"), Set.of());
        engine.replaceRules("zeta", Set.of(), Set.of("x.example.net"));

        Decision d = engine.decide("a.example.com");
        assertThat(d.allowed()).isTrue();
        assertThat(d.rule().allow()).isTrue();
        assertThat(engine.decide("x.example.net").rule().source()).isEqualTo(SOURCE_POLICY);
        assertThat(engine.decide("y.x.example.net").allowed()).isFalse();
    }

    @Test
    void allowOnlyModeBlocksNamesNoRuleMatches() {
        FirewallEngine allowOnly = new FirewallEngine(FirewallMode.ALLOW_ONLY, null);
        allowOnly.replaceRules(SOURCE_CONFIG, Set.of("updates.vendor.example"), Set.of("=bad.updates.vendor.example"));

        assertThat(allowOnly.mode()).isEqualTo(FirewallMode.ALLOW_ONLY);
        assertThat(allowOnly.decide("eu.updates.vendor.example").allowed()).isTrue();
        assertThat(allowOnly.decide("bad.updates.vendor.example").allowed()).isFalse();
        Decision unmatched = allowOnly.decide("www.example.com");
        assertThat(unmatched).isSameAs(Decision.BLOCKED_BY_MODE);
        assertThat(unmatched.rule()).isNull();
        assertThat(allowOnly.check("www.example.com")).isEqualTo(new FirewallVerdict(false, Optional.empty()));
        assertThat(engine.decide("www.example.com")).isSameAs(Decision.ALLOWED_BY_MODE);
    }

    @Test
    void namesAndPatternsIgnoreLetterCaseAndTheFinalDot() {
        engine.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("Ads.Example.COM.", " =Track.Example.com "));

        assertThat(engine.rules()).extracting(FirewallRule::pattern)
                .containsExactly("=track.example.com", "ads.example.com");
        assertThat(engine.decide("WWW.ADS.example.com.").allowed()).isFalse();
        assertThat(engine.decide("ads.EXAMPLE.com").allowed()).isFalse();
        assertThat(engine.decide("TRACK.example.COM.").allowed()).isFalse();
        assertThat(engine.check("  track.example.com  ").allowed()).isFalse();
        assertThat(engine.decide("").allowed()).isTrue();
        assertThat(engine.decide(".").allowed()).isTrue();
    }

    @Test
    void escapedDotIsPartOfALabelNotABoundary() {
        FirewallEngine allowOnly = new FirewallEngine(FirewallMode.ALLOW_ONLY, null);
        allowOnly.replaceRules(SOURCE_CONFIG, Set.of("allowed.com"), Set.of());

        assertThat(allowOnly.decide("www.allowed.com").allowed()).isTrue();
        assertThat(allowOnly.decide("evil\\.allowed.com").allowed()).isFalse();
        assertThat(allowOnly.decide("evil\\\\.allowed.com").allowed()).isTrue(); // escaped backslash, real dot
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty name",
            ".|empty name",
            "=|empty name",
            "a..example.com|empty label",
            ".example.com|empty label",
            "example.com..|empty label",
            "*.example.com|no wildcards",
            "exa mple.com|invalid character U+0020",
            "ex/ample.com|invalid character '/'",
            "a=b.example.com|'=' may only start a pattern",
            "==example.com|'=' may only start a pattern",
            "ex\u00e4mple.com|invalid character U+00E4",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com|longer than 63 characters",
    })
    void invalidPatternIsRejectedByNameAndNothingChanges(String pattern, String why) {
        engine.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("old.example"));
        long generation = engine.generation();

        assertThatThrownBy(() -> engine.replaceRules(SOURCE_CONFIG, Set.of("fine.example"), Set.of("ok.example", pattern)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + pattern + "'")
                .hasMessageContaining("deny pattern")
                .hasMessageContaining(why);
        assertThatThrownBy(() -> engine.deny(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);

        assertThat(engine.rules()).extracting(FirewallRule::pattern).containsExactly("old.example");
        assertThat(engine.generation()).isEqualTo(generation);
    }

    @Test
    void nameLengthLimitsAreThoseOfDns() {
        String label63 = "a".repeat(63);
        String name253 = String.join(".", label63, label63, label63, "b".repeat(61));
        assertThat(name253).hasSize(253);

        engine.replaceRules(SOURCE_CONFIG, Set.of(), Set.of(name253 + ".", "=" + label63 + ".example"));
        assertThat(engine.decide(name253).allowed()).isFalse();

        assertThatThrownBy(() -> engine.deny("c" + name253))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 253 characters");
    }

    @Test
    void operatorRulesAreStoredAsTextAndReloaded() {
        MemoryStore store = new MemoryStore();
        FirewallEngine first = new FirewallEngine(FirewallMode.DENY_LIST, store);
        first.deny("Ads.Example.com");
        first.allow("=ok.ads.example.com");
        first.deny("tracker.example.net.");

        assertThat(store.text(KEY)).isEqualTo("""
                # Sitegate DNS firewall: operator rules (sitegate:dns-allow / sitegate:dns-deny)
                allow =ok.ads.example.com
                deny ads.example.com
                deny tracker.example.net
                """);

        FirewallEngine restarted = new FirewallEngine(FirewallMode.DENY_LIST, store);
        assertThat(restarted.rules()).containsExactly(
                new FirewallRule("=ok.ads.example.com", true, SOURCE_OPERATOR, 0),
                new FirewallRule("ads.example.com", false, SOURCE_OPERATOR, 0),
                new FirewallRule("tracker.example.net", false, SOURCE_OPERATOR, 0));
        assertThat(restarted.decide("ok.ads.example.com").allowed()).isTrue();
        assertThat(restarted.decide("x.ads.example.com").allowed()).isFalse();
    }

    @Test
    void operatorRulesSurviveARestartWithTheRealFileStateStore(@TempDir Path dir) throws Exception {
        FileStateStore store = new FileStateStore(dir, (key, problem, recovered) -> { }, Clock.systemUTC());
        store.open();
        new FirewallEngine(FirewallMode.DENY_LIST, store).deny("example.org");

        FileStateStore reopened = new FileStateStore(dir, (key, problem, recovered) -> { }, Clock.systemUTC());
        reopened.open();
        FirewallEngine restarted = new FirewallEngine(FirewallMode.DENY_LIST, reopened);
        assertThat(restarted.decide("www.example.org").allowed()).isFalse();
        assertThat(restarted.removeOperatorRule("example.org")).isTrue();

        assertThat(new FirewallEngine(FirewallMode.DENY_LIST, reopened).rules()).isEmpty();
    }

    @Test
    void operatorAllowReplacesTheOperatorDenyOfThePatternAndRemoveReportsWhetherThereWasOne() {
        MemoryStore store = new MemoryStore();
        FirewallEngine e = new FirewallEngine(FirewallMode.DENY_LIST, store);
        e.deny("example.com");
        e.allow("EXAMPLE.com.");

        assertThat(e.rules()).containsExactly(new FirewallRule("example.com", true, SOURCE_OPERATOR, 0));
        assertThat(e.removeOperatorRule("=example.com")).isFalse();
        assertThat(e.removeOperatorRule("Example.com")).isTrue();
        assertThat(e.removeOperatorRule("example.com")).isFalse();
        assertThat(e.rules()).isEmpty();
        assertThat(store.text(KEY)).doesNotContain("example.com");
    }

    @Test
    void replacingTheOperatorSourceStoresItToo() {
        MemoryStore store = new MemoryStore();
        new FirewallEngine(FirewallMode.DENY_LIST, store).replaceRules(SOURCE_OPERATOR, Set.of("a.example"), Set.of());

        assertThat(new FirewallEngine(FirewallMode.DENY_LIST, store).rules()).extracting(FirewallRule::pattern)
                .containsExactly("a.example");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "garbage without a rule",
            "allow example.com\\nblock example.net",
            "deny *.example.com",
            "allow",
    })
    void invalidStoredDocumentIsIgnoredWholly(String text) {
        MemoryStore store = new MemoryStore();
        store.put(KEY, text.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8));

        FirewallEngine e = new FirewallEngine(FirewallMode.DENY_LIST, store);

        assertThat(e.rules()).isEmpty();
        assertThat(e.decide("example.com").allowed()).isTrue();
    }

    @Test
    void storedDocumentThatIsNotUtf8OrThatTheStoreCannotReadIsIgnored() {
        MemoryStore store = new MemoryStore();
        store.put(KEY, new byte[] {'d', 'e', 'n', 'y', ' ', (byte) 0xC3, (byte) 0x28});
        assertThat(new FirewallEngine(FirewallMode.DENY_LIST, store).rules()).isEmpty();

        store.readFailure = new CorruptStateException("state 'dns-firewall-operator': checksum mismatch");
        FirewallEngine e = new FirewallEngine(FirewallMode.DENY_LIST, store);
        assertThat(e.rules()).isEmpty();
        e.deny("still.works.example");
        assertThat(e.decide("still.works.example").allowed()).isFalse();
    }

    @Test
    void failedStoreWriteChangesNothing() {
        MemoryStore store = new MemoryStore();
        FirewallEngine e = new FirewallEngine(FirewallMode.DENY_LIST, store);
        e.deny("kept.example");
        long generation = e.generation();
        store.failWrites = true;

        assertThatThrownBy(() -> e.deny("new.example"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot save the operator's DNS firewall rules")
                .hasMessageContaining("disk full");
        assertThatThrownBy(() -> e.removeOperatorRule("kept.example")).isInstanceOf(UncheckedIOException.class);

        assertThat(e.rules()).extracting(FirewallRule::pattern).containsExactly("kept.example");
        assertThat(e.decide("new.example").allowed()).isTrue();
        assertThat(e.generation()).isEqualTo(generation);
    }

    @Test
    void generationChangesWithEveryChangeOfRulesOrModeAndOnlyThen() {
        long g0 = engine.generation();
        engine.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("a.example"));
        long g1 = engine.generation();
        engine.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("A.example."));
        assertThat(engine.generation()).isEqualTo(g1);
        engine.deny("b.example");
        long g2 = engine.generation();
        engine.deny("b.example");
        assertThat(engine.generation()).isEqualTo(g2);
        engine.allow("b.example");
        long g3 = engine.generation();
        engine.removeOperatorRule("b.example");
        long g4 = engine.generation();
        engine.setMode(FirewallMode.ALLOW_ONLY);
        long g5 = engine.generation();
        engine.setMode(FirewallMode.ALLOW_ONLY);

        assertThat(List.of(g0, g1, g2, g3, g4, g5)).doesNotHaveDuplicates().isSorted();
        assertThat(engine.generation()).isEqualTo(g5);
        assertThat(engine.decide("c.example")).isSameAs(Decision.BLOCKED_BY_MODE);
    }

    @Test
    void hitsAreCountedWhenTheCallerActsOnADecisionAndSurviveAnUnchangedReload() {
        engine.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("example.com", "example.net"));

        Decision d = engine.decide("www.example.com");
        assertThat(hits("example.com")).isZero();
        d.hit();
        engine.decide("a.example.com").hit();
        engine.check("b.example.com");
        Decision.ALLOWED_BY_MODE.hit(); // no rule, nothing to count
        assertThat(hits("example.com")).isEqualTo(2);

        engine.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("example.com", "example.org"));
        assertThat(hits("example.com")).isEqualTo(2);
        assertThat(engine.check("www.example.com").rule()).get()
                .isEqualTo(new FirewallRule("example.com", false, SOURCE_CONFIG, 2));
    }

    @Test
    void rulesAreOrderedBySourceThenPattern() {
        engine.replaceRules(SOURCE_POLICY, Set.of("b.example"), Set.of("a.example"));
        engine.replaceRules(SOURCE_CONFIG, Set.of("z.example"), Set.of("=y.example", "z.example"));
        engine.allow("m.example");

        assertThat(engine.rules()).extracting(r -> r.source() + " " + (r.allow() ? "allow " : "deny ") + r.pattern())
                .containsExactly("config deny =y.example", "config allow z.example", "config deny z.example",
                        "operator allow m.example", "policy deny a.example", "policy allow b.example");

        engine.replaceRules(SOURCE_POLICY, Set.of(), Set.of());
        assertThat(engine.rules()).extracting(FirewallRule::source).doesNotContain(SOURCE_POLICY);
    }

    @Test
    void hundredThousandNamesLoadAndDecideCorrectly() {
        Random random = new Random(42);
        Set<String> suffixes = new HashSet<>();
        Set<String> exacts = new HashSet<>();
        while (suffixes.size() < 90_000) {
            suffixes.add(randomName(random));
        }
        while (exacts.size() < 10_000) {
            String name = randomName(random);
            if (!suffixes.contains(name)) {
                exacts.add(name);
            }
        }
        Set<String> deny = new HashSet<>(suffixes);
        exacts.forEach(n -> deny.add("=" + n));

        long start = System.nanoTime();
        engine.replaceRules(SOURCE_CONFIG, Set.of(), deny);
        System.out.printf("loaded %d patterns in %d ms%n", deny.size(), (System.nanoTime() - start) / 1_000_000);

        assertThat(engine.rules()).hasSize(100_000);
        for (String name : suffixes) {
            assertThat(engine.decide(name).allowed()).as(name).isFalse();
            assertThat(engine.decide("Sub." + name.toUpperCase(Locale.ROOT) + ".").rule().pattern()).isEqualTo(name);
        }
        for (String name : exacts) {
            assertThat(engine.decide(name).rule().pattern()).isEqualTo("=" + name);
            // a name below an exact pattern is decided by a shorter suffix, if any, never by the exact one
            assertThat(engine.decide("sub." + name).rule()).isNotSameAs(engine.decide(name).rule());
        }
        for (int i = 0; i < 10_000; i++) {
            String other = "unlisted" + i + ".example";
            assertThat(engine.decide(other)).isSameAs(Decision.ALLOWED_BY_MODE);
        }
    }

    @Test
    void queriesSeeEitherTheOldOrTheNewRulesWhileRulesChange() throws Exception {
        engine.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("always.example"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(4);
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread reader = new Thread(() -> {
                try {
                    for (int i = 0; i < 200_000; i++) {
                        if (engine.decide("x.always.example").allowed()) {
                            throw new AssertionError("stable deny rule lost during a change");
                        }
                        Decision flip = engine.decide("a.flip.example");
                        if (flip.rule() != null && !flip.rule().name().equals("flip.example")) {
                            throw new AssertionError("wrong rule " + flip.rule());
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
            readers.add(reader);
            reader.start();
        }
        for (int i = 0; done.getCount() > 0; i++) {
            if (i % 2 == 0) {
                engine.deny("flip.example");
            } else {
                engine.removeOperatorRule("flip.example");
            }
        }
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(failure.get()).isNull();
    }

    private static String randomName(Random random) {
        int labels = 2 + random.nextInt(3);
        StringBuilder b = new StringBuilder();
        for (int l = 0; l < labels; l++) {
            int length = 3 + random.nextInt(10);
            for (int i = 0; i < length; i++) {
                b.append("abcdefghijklmnopqrstuvwxyz0123456789-_".charAt(random.nextInt(i == 0 ? 26 : 38)));
            }
            b.append('.');
        }
        return b.append(random.nextBoolean() ? "com" : "net").toString();
    }

    private String patternFor(String name) {
        return engine.decide(name).rule().pattern();
    }

    private long hits(String pattern) {
        return engine.rules().stream().filter(r -> r.pattern().equals(pattern)).findFirst().orElseThrow().hits();
    }

    /** A {@link StateStore} in memory, which can be told to fail writes or reads. */
    static final class MemoryStore implements StateStore {
        private final Map<String, byte[]> documents = new ConcurrentHashMap<>();
        volatile boolean failWrites;
        volatile StateStoreException readFailure;

        @Override
        public void write(String key, byte[] content) throws StateStoreException {
            if (failWrites) {
                throw new StateStoreException("cannot write state '" + key + "': disk full");
            }
            documents.put(key, content.clone());
        }

        @Override
        public Optional<StoredState> read(String key) throws StateStoreException {
            if (readFailure != null) {
                throw readFailure;
            }
            byte[] content = documents.get(key);
            return content == null ? Optional.empty()
                    : Optional.of(new StoredState(key, content.clone(), 1, Instant.EPOCH, Optional.empty()));
        }

        @Override
        public boolean delete(String key) {
            return documents.remove(key) != null;
        }

        @Override
        public SortedSet<String> keys() {
            return new TreeSet<>(documents.keySet());
        }

        String text(String key) {
            byte[] content = documents.get(key);
            return content == null ? null : new String(content, StandardCharsets.UTF_8);
        }

        void put(String key, byte[] content) {
            documents.put(key, content);
        }
    }
}
