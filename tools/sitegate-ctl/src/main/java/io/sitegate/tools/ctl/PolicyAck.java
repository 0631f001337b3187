package io.sitegate.tools.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** One {@code sitegate/<gw>/ack}: {@code received} first, then one final result. */
record PolicyAck(String gateway, long version, String target, String result, String reason) {
    static PolicyAck parse(String topicGateway, byte[] payload) throws IOException {
        JsonNode n = GatewayStatus.JSON.readTree(payload);
        if (n == null || !n.isObject()) {
            throw new IOException("ack of " + topicGateway + " is not a JSON object");
        }
        return new PolicyAck(n.path("gateway").asText(topicGateway), n.path("version").asLong(-1),
                n.path("target").asText(""), n.path("result").asText(""), n.path("reason").asText(""));
    }

    boolean isFinal() {
        return !"received".equals(result);
    }

    boolean applied() {
        return "applied".equals(result);
    }

    /** A rejection because the gateway already holds this version for this target. */
    boolean alreadyApplied() {
        return "rejected".equals(result) && reason.contains("not above the high-water mark");
    }
}
