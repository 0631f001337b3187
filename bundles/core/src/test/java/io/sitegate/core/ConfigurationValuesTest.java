package io.sitegate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ConfigurationValuesTest {

    @Test
    void absentOrBlankValuesTakeTheDefault() {
        ConfigurationValues v = ConfigurationValues.of(Map.of("blank", "  "));
        assertThat(v.string("blank", "d")).isEqualTo("d");
        assertThat(v.string("missing", "d")).isEqualTo("d");
        assertThat(v.integer("missing", 7, 0, 10)).isEqualTo(7);
        assertThat(v.bool("missing", true)).isTrue();
    }

    @Test
    void numbersAreParsedStrictlyAndRangeChecked() {
        ConfigurationValues v = ConfigurationValues.of(Map.of("port", "53", "bad", "5x3", "neg", "-1", "typed", 42));
        assertThat(v.integer("port", 0, 1, 65535)).isEqualTo(53);
        assertThat(v.integer("typed", 0, 1, 100)).isEqualTo(42);
        assertThatThrownBy(() -> v.integer("bad", 0, 1, 65535))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("property 'bad' has invalid value '5x3': expected a whole number");
        assertThatThrownBy(() -> v.integer("neg", 0, 1, 65535))
                .hasMessage("property 'neg' has invalid value '-1': expected a number from 1 to 65535");
    }

    @Test
    void booleansAreOnlyTrueOrFalse() {
        ConfigurationValues v = ConfigurationValues.of(Map.of("a", "TRUE", "b", "false", "c", "yes"));
        assertThat(v.bool("a", false)).isTrue();
        assertThat(v.bool("b", true)).isFalse();
        assertThatThrownBy(() -> v.bool("c", false))
                .isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> {
                    InvalidConfigurationException ice = (InvalidConfigurationException) e;
                    assertThat(ice.property()).isEqualTo("c");
                    assertThat(ice.value()).isEqualTo("yes");
                });
    }

    @Test
    void patternsAndParsersNameTheProblem() {
        ConfigurationValues v = ConfigurationValues.of(Map.of("id", "Bad Id", "n", "x"));
        assertThatThrownBy(() -> v.matching("id", "x", Pattern.compile("[a-z]+"), "lower-case letters"))
                .hasMessage("property 'id' has invalid value 'Bad Id': expected lower-case letters");
        assertThatThrownBy(() -> v.parsed("n", 0, Integer::parseInt))
                .hasMessageStartingWith("property 'n' has invalid value 'x': For input string");
    }

    @interface Definition {
        String cache_maxEntries() default "20";

        int tcp_idleTimeout() default 100;

        boolean listen_wan() default false;

        String a__b() default "x";

        String a$_$b() default "";
    }

    @Test
    void collectingReaderReportsEveryProblemAndUnknownKeysWithDefaultsFromTheDefinition() {
        ConfigurationValues v = ConfigurationValues.collecting("io.sitegate.x", java.util.Map.of(
                "cache.maxEntries", "many", "tcp.idleTimeout", "5", "listen.wan", "yes", "lisen.wan", "true",
                "service.pid", "io.sitegate.x")).defaults(Definition.class);
        assertThat(v.integer("cache.maxEntries", 0, 100)).isEqualTo(20);
        assertThat(v.integer("tcp.idleTimeout", 1, 1000)).isEqualTo(5);
        assertThat(v.bool("listen.wan")).isFalse();
        assertThat(v.string("a_b")).isEqualTo("x");
        assertThat(v.string("a-b")).isNull();
        var problems = v.finish();
        assertThat(problems).extracting(io.sitegate.core.config.ConfigProblem::property)
                .containsExactly("cache.maxEntries", "listen.wan", "lisen.wan");
        assertThat(problems.get(0).message()).isEqualTo("io.sitegate.x: property 'cache.maxEntries' has invalid value 'many': expected a whole number");
        assertThat(problems.get(2).reason()).startsWith("unknown property (known: ");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> v.string("nope")).isInstanceOf(IllegalStateException.class);
    }
}
