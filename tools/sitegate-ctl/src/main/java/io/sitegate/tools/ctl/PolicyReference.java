package io.sitegate.tools.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy document reference in Markdown, rendered from the shipped schema ({@code sitegate-ctl schema-doc}):
 * one table per object with named properties (the document, {@code sections}, {@code sections.features}), then the
 * shared definitions they refer to. Generated, so that the README's reference is the schema the gateway checks
 * against ({@code PolicyReferenceTest} fails when the README's copy differs).
 */
final class PolicyReference {
    /** The schema in the policy bundle, the one {@code PolicySchema} validates with. */
    static final String SCHEMA = "/io/sitegate/policy/policy-schema-v1.json";
    static final String BEGIN = "<!-- policy-reference:begin -->";
    static final String END = "<!-- policy-reference:end -->";
    private static final String DEFS = "#/$defs/";

    private final JsonNode root;
    private final Map<String, JsonNode> referenced = new LinkedHashMap<>();

    PolicyReference(JsonNode root) {
        this.root = root;
    }

    /** The shipped schema's reference. */
    static String shipped() throws IOException {
        try (InputStream in = PolicyReference.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IOException("the policy schema " + SCHEMA + " is not on the class path");
            }
            return new PolicyReference(new ObjectMapper().readTree(in)).render();
        }
    }

    /** The Markdown between (and including) the {@link #BEGIN} and {@link #END} markers. */
    String render() {
        StringBuilder b = new StringBuilder(BEGIN).append('\n');
        b.append("<!-- generated from bundles/policy/src/main/resources").append(SCHEMA)
                .append(" by `sitegate-ctl schema-doc`: edit the schema, not this -->\n\n");
        b.append("**").append(root.path("title").asText()).append("** (`").append(root.path("$id").asText()).append("`, JSON Schema ")
                .append(root.path("$schema").asText().replaceAll(".*/draft/([^/]+)/schema$", "$1")).append("). ")
                .append(prose(root.path("description").asText())).append("\n");
        objectTables(b, "The document", root);
        if (!referenced.isEmpty()) {
            b.append("\n**Definitions** referred to above:\n\n");
            b.append("| definition | type | allowed | description |\n|---|---|---|---|\n");
            for (int i = 0; i < referenced.size(); i++) { // rendering one may refer to another
                Map.Entry<String, JsonNode> d = new ArrayList<>(referenced.entrySet()).get(i);
                JsonNode n = d.getValue();
                b.append("| <a id=\"policy-def-").append(d.getKey()).append("\"></a>`").append(d.getKey()).append("` | ")
                        .append(cell(type(n))).append(" | ").append(cell(allowed(n))).append(" | ")
                        .append(cell(prose(n.path("description").asText()))).append(" |\n");
            }
        }
        b.append('\n').append(END).append('\n');
        return b.toString();
    }

    /** A table of an object's named properties, then one for each property that is itself such an object. */
    private void objectTables(StringBuilder b, String title, JsonNode object) {
        List<String> required = new ArrayList<>();
        object.path("required").forEach(r -> required.add(r.asText()));
        b.append("\n**").append(title).append("**").append(object.path("additionalProperties").asBoolean(true) ? "" : " (no other keys)")
                .append(":\n\n| name | type | required | allowed | default | description |\n|---|---|---|---|---|---|\n");
        Map<String, JsonNode> nested = new LinkedHashMap<>();
        object.path("properties").fields().forEachRemaining(p -> {
            JsonNode own = p.getValue();
            JsonNode resolved = resolve(own);
            String description = own.path("description").asText(resolved.path("description").asText());
            b.append("| `").append(p.getKey()).append("` | ").append(cell(type(own))).append(" | ")
                    .append(required.contains(p.getKey()) ? "yes" : "no").append(" | ").append(cell(allowed(resolved))).append(" | ")
                    .append(resolved.has("default") ? "`" + resolved.get("default") + "`" : "-").append(" | ")
                    .append(cell(prose(description))).append(" |\n");
            if (resolved.has("properties")) {
                nested.put(p.getKey(), resolved);
            }
        });
        String prefix = title.startsWith("`") ? title.substring(1, title.length() - 1) + "." : "";
        nested.forEach((name, n) -> objectTables(b, "`" + prefix + name + "`", n));
    }

    /** The definition a {@code $ref} names (remembered for the definitions table), or the node itself. */
    private JsonNode resolve(JsonNode n) {
        String ref = n.path("$ref").asText("");
        if (!ref.startsWith(DEFS)) {
            return n;
        }
        String name = ref.substring(DEFS.length());
        JsonNode def = root.path("$defs").path(name);
        if (!def.has("properties")) {
            referenced.putIfAbsent(name, def);
        }
        return def;
    }

    private String type(JsonNode n) {
        String ref = n.path("$ref").asText("");
        if (ref.startsWith(DEFS)) {
            JsonNode def = resolve(n);
            String name = ref.substring(DEFS.length());
            return def.has("properties") ? type(def) : "[" + name + "](#policy-def-" + name + ")";
        }
        if (n.has("oneOf")) {
            List<String> alternatives = new ArrayList<>();
            n.get("oneOf").forEach(a -> alternatives.add(type(a)));
            return String.join(" or ", alternatives);
        }
        String t = n.path("type").asText("any");
        return switch (t) {
            case "array" -> "array of " + type(n.path("items"));
            case "object" -> n.path("additionalProperties").isObject() ? "object: name → " + type(n.get("additionalProperties")) : "object";
            case "string" -> n.has("format") ? "string (" + n.get("format").asText() + ")" : "string";
            default -> t;
        };
    }

    /** The constraints of a schema: values, range, lengths, patterns, counts; those of array items after "each". */
    private String allowed(JsonNode n) {
        List<String> c = new ArrayList<>();
        if (n.has("enum")) {
            List<String> values = new ArrayList<>();
            n.get("enum").forEach(v -> values.add("`" + v + "`"));
            c.add("one of " + String.join(", ", values));
        }
        if (n.has("const")) {
            c.add("exactly `" + n.get("const") + "`");
        }
        if (n.has("minimum") && n.has("maximum")) {
            c.add(n.get("minimum").asText() + " .. " + n.get("maximum").asText());
        } else if (n.has("minimum")) {
            c.add("at least " + n.get("minimum").asText());
        } else if (n.has("maximum")) {
            c.add("at most " + n.get("maximum").asText());
        }
        if (n.has("minLength")) {
            c.add("at least " + n.get("minLength").asText() + " characters");
        }
        if (n.has("maxLength")) {
            c.add("at most " + n.get("maxLength").asText() + " characters");
        }
        if (n.has("pattern")) {
            c.add("pattern `" + n.get("pattern").asText() + "`");
        }
        if (n.has("maxItems")) {
            c.add("at most " + n.get("maxItems").asText() + " items");
        }
        if (n.has("maxProperties")) {
            c.add("at most " + n.get("maxProperties").asText() + " entries");
        }
        if (n.path("propertyNames").has("pattern")) {
            c.add("names: pattern `" + n.get("propertyNames").get("pattern").asText() + "`");
        }
        if (n.has("oneOf")) {
            n.get("oneOf").forEach(a -> {
                String sub = allowed(a);
                if (!sub.isEmpty()) {
                    c.add(type(a) + ": " + sub);
                }
            });
        }
        if (n.has("items")) {
            String sub = allowed(resolve(n.get("items")));
            if (!sub.isEmpty()) {
                c.add("each: " + sub);
            }
        }
        return String.join("; ", c);
    }

    /** Schema prose as Markdown text: {@code <instance>} would otherwise be taken for an HTML tag and vanish. */
    static String prose(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text safe in a Markdown table cell: a '|' (also in code spans) is escaped, a line break becomes a space. */
    static String cell(String s) {
        return s.isEmpty() ? "-" : s.replace("|", "\\|").replace("\n", " ");
    }
}
