package io.sitegate.policy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.sitegate.policy.PolicyRefusal;
import io.sitegate.policy.PolicyVerificationException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The shipped policy schema ({@value #RESOURCE}, JSON Schema draft 2020-12), loaded once from this bundle.
 * Format assertions are on: in 2020-12 {@code format} is only an annotation unless the validator is told to
 * assert it, and {@code issuedAt}/{@code expiresAt} must be real RFC 3339 date-times.
 */
final class PolicySchema {
    static final String RESOURCE = "/io/sitegate/policy/policy-schema-v1.json";

    /** How many schema errors a reason names; the rest are counted. */
    private static final int NAMED_ERRORS = 3;

    private final Schema schema;

    PolicySchema() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(config));
        // The schema is read from this class's bundle, never fetched: no $ref leaves the document.
        try (InputStream in = PolicySchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the policy schema " + RESOURCE + " is not in the bundle");
            }
            this.schema = registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void validate(JsonNode document) throws PolicyVerificationException {
        List<Error> errors = schema.validate(document);
        if (errors.isEmpty()) {
            return;
        }
        StringBuilder reason = new StringBuilder("the document does not match policy schema v1: ");
        for (int i = 0; i < Math.min(NAMED_ERRORS, errors.size()); i++) {
            if (i > 0) {
                reason.append("; ");
            }
            reason.append(PolicyRefusal.quote(errors.get(i).toString()));
        }
        if (errors.size() > NAMED_ERRORS) {
            reason.append(" (and ").append(errors.size() - NAMED_ERRORS).append(" more)");
        }
        throw new PolicyVerificationException(PolicyRefusal.Code.SCHEMA, reason.toString());
    }
}
