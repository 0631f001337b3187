package io.sitegate.tools.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PolicyReferenceTest {
    /** The repository's README, from this module's directory (where surefire runs). */
    private static final Path README = Path.of("../../README.md");

    @Test
    void readmeBlockIsTheGeneratorsOutput() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int begin = readme.indexOf(PolicyReference.BEGIN);
        int end = readme.indexOf(PolicyReference.END);
        assertThat(begin).as("README.md has no " + PolicyReference.BEGIN).isNotNegative();
        assertThat(end).as("README.md has no " + PolicyReference.END + " after the begin marker").isGreaterThan(begin);
        String block = readme.substring(begin, end + PolicyReference.END.length()) + "\n";
        assertThat(block).as("README.md's policy reference is stale: regenerate it with tools/policy-reference")
                .isEqualTo(PolicyReference.shipped());
    }

    @Test
    void everySectionAndPropertyIsListedWithItsConstraints() throws Exception {
        String doc = PolicyReference.shipped();
        assertThat(doc).startsWith(PolicyReference.BEGIN).endsWith(PolicyReference.END + "\n");
        for (String name : new String[] {"version", "issuedAt", "expiresAt", "target", "sections", "cellular", "dns", "filter",
                "modem", "tunnels", "features", "repositories", "install", "remove"}) {
            assertThat(doc).contains("| `" + name + "` |");
        }
        assertThat(doc).contains("| `version` | integer | yes | 1 .. 9007199254740991 | - |")
                .contains("**`sections`** (no other keys)", "**`sections.features`** (no other keys)")
                .contains("pattern `^(mvn\\|file\\|https):\\S+$`") // the '|' of a pattern is escaped in a table
                .contains("io.sitegate.tunnel~&lt;instance&gt;") // not an HTML tag
                .contains("<a id=\"policy-def-value\"></a>`value`", "<a id=\"policy-def-instances\"></a>`instances`");
    }

    @Test
    void rendersEnumsDefaultsAndRangesOfAnySchema() throws Exception {
        String schema = """
                {"title":"T","$id":"urn:t","$schema":"https://json-schema.org/draft/2020-12/schema","description":"D",
                 "type":"object","required":["mode"],"properties":{
                  "mode":{"type":"string","enum":["allow","deny"],"default":"deny","description":"line one\\nline two"},
                  "port":{"type":"integer","minimum":1},
                  "names":{"type":"array","items":{"type":"string","minLength":1}}}}""";
        String doc = new PolicyReference(new ObjectMapper().readTree(schema)).render();
        assertThat(doc).contains("| `mode` | string | yes | one of `\"allow\"`, `\"deny\"` | `\"deny\"` | line one line two |")
                .contains("| `port` | integer | no | at least 1 | - | - |")
                .contains("| `names` | array of string | no | each: at least 1 characters | - | - |")
                .doesNotContain("Definitions");
    }

    @Test
    void schemaDocCommandPrintsItAndTakesNoArguments() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertThat(new SitegateCtl(ps, ps).run(new String[] {"schema-doc"})).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(PolicyReference.shipped());
        bytes.reset();
        assertThat(new SitegateCtl(ps, ps).run(new String[] {"schema-doc", "extra"})).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("schema-doc takes no arguments");
    }
}
