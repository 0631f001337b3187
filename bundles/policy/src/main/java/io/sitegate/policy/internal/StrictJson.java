package io.sitegate.policy.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sitegate.policy.PolicyRefusal;
import io.sitegate.policy.PolicyVerificationException;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads a policy payload as strict JSON (RFC 8259) with Jackson, refusing what a lenient reader would let
 * through and what could exhaust the gateway:
 * <ul>
 * <li>a member name twice in one object ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}): two readers
 *     could otherwise see two different documents under one signature;</li>
 * <li>nesting deeper than the maximum ({@link StreamReadConstraints#maxNestingDepth}, checked by the
 *     streaming parser as it goes, so 10,000 brackets fail at the first bracket too many, without recursion);</li>
 * <li>comments, single quotes, unquoted names, NaN and Infinity, leading zeros, trailing tokens (all off or
 *     made to fail);</li>
 * <li>an integer that does not fit a {@code long}, a decimal whose magnitude a {@code double} cannot hold
 *     (read as {@link BigDecimal}, never rounded to infinity).</li>
 * </ul>
 */
final class StrictJson {
    /** Longest number literal: far more than any policy needs, far less than Jackson's 1000. */
    private static final int MAX_NUMBER_LENGTH = 100;

    /** Longest string: the payload is bounded anyway; this bounds a single value. */
    private static final int MAX_STRING_LENGTH = 64 * 1024;

    private static final BigDecimal DOUBLE_MAX = new BigDecimal(Double.MAX_VALUE);

    private final ObjectMapper mapper;

    StrictJson(int maxDepth) {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .disable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                .disable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
                .disable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
                .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
    }

    /** The document's tree. */
    JsonNode read(String json) throws PolicyVerificationException {
        JsonNode tree;
        try (JsonParser parser = mapper.createParser(json)) {
            tree = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw refused(PolicyRefusal.Code.BAD_JSON, "trailing content after the JSON document");
            }
        } catch (StreamConstraintsException e) {
            if (e.getMessage() != null && e.getMessage().contains("nesting depth")) {
                throw refused(PolicyRefusal.Code.TOO_DEEP, "JSON nested deeper than allowed ("
                        + mapper.getFactory().streamReadConstraints().getMaxNestingDepth() + " levels)");
            }
            if (e.getMessage() != null && e.getMessage().contains("Number value length")) {
                throw refused(PolicyRefusal.Code.NUMBER_OUT_OF_RANGE, "a JSON number longer than "
                        + MAX_NUMBER_LENGTH + " characters");
            }
            throw refused(PolicyRefusal.Code.BAD_JSON, "JSON over a size limit: " + brief(e));
        } catch (JsonParseException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
                throw refused(PolicyRefusal.Code.DUPLICATE_KEY, "a JSON object has a member twice: " + brief(e));
            }
            throw refused(PolicyRefusal.Code.BAD_JSON, "not JSON: " + brief(e));
        } catch (JsonProcessingException e) {
            throw refused(PolicyRefusal.Code.BAD_JSON, "not JSON: " + brief(e));
        } catch (IOException e) {
            throw refused(PolicyRefusal.Code.BAD_JSON, "not JSON: " + brief(e));
        }
        if (tree == null || tree.isMissingNode()) {
            throw refused(PolicyRefusal.Code.BAD_JSON, "empty payload");
        }
        checkNumbers(tree);
        return tree;
    }

    /** Walks the tree (already depth-bounded) with an explicit stack, so it cannot overflow the Java stack. */
    private static void checkNumbers(JsonNode root) throws PolicyVerificationException {
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isContainerNode()) {
                n.forEach(todo::push);
            } else if (n.isIntegralNumber() && !n.canConvertToLong()) {
                throw refused(PolicyRefusal.Code.NUMBER_OUT_OF_RANGE, "an integer beyond the 64-bit range: "
                        + PolicyRefusal.quote(n.asText()));
            } else if (n.isBigDecimal() && outOfDoubleRange(n.decimalValue())) {
                throw refused(PolicyRefusal.Code.NUMBER_OUT_OF_RANGE, "a number beyond the range of a double: "
                        + PolicyRefusal.quote(n.decimalValue().toString()));
            }
        }
    }

    private static boolean outOfDoubleRange(BigDecimal d) {
        // precision - scale - 1 is the decimal exponent; checking it first avoids comparing a huge scale.
        long exponent = (long) d.precision() - d.scale() - 1;
        if (d.signum() == 0) {
            return false;
        }
        if (exponent > 308 || exponent < -324) {
            return true;
        }
        return d.abs().compareTo(DOUBLE_MAX) > 0;
    }

    private static String brief(Exception e) {
        String m = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return PolicyRefusal.quote(m == null ? e.getClass().getSimpleName() : m);
    }

    private static PolicyVerificationException refused(PolicyRefusal.Code code, String reason) {
        return new PolicyVerificationException(code, reason);
    }
}
