package io.sitegate.policy.internal.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The audit chain's two ends, kept apart from the log in the {@link StateStore}: the head (the last entry
 * appended) shows entries cut off the end, which a hash chain alone cannot; the base (the oldest entry
 * rotation kept) shows an oldest file deleted by hand.
 *
 * @param headSeq      the last appended entry's seq
 * @param headHash     its hash
 * @param baseSeq      the oldest kept entry's seq (1 until rotation deletes a file)
 * @param basePrevHash its prevHash
 */
record AuditAnchor(long headSeq, String headHash, long baseSeq, String basePrevHash) {
    static final String KEY = "audit.anchor";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Optional<AuditAnchor> read(StateStore store) throws StateStoreException {
        Optional<StoredState> s = store.read(KEY);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(new String(s.get().content(), StandardCharsets.UTF_8));
            return Optional.of(new AuditAnchor(n.path("headSeq").asLong(), n.path("headHash").asText(),
                    n.path("baseSeq").asLong(), n.path("basePrevHash").asText()));
        } catch (Exception e) {
            throw new StateStoreException("audit anchor '" + KEY + "' is not readable: " + e.getMessage(), e);
        }
    }

    void write(StateStore store) throws StateStoreException {
        String json = JSON.createObjectNode().put("headSeq", headSeq).put("headHash", headHash).put("baseSeq", baseSeq)
                .put("basePrevHash", basePrevHash).toString();
        store.write(KEY, json.getBytes(StandardCharsets.UTF_8));
    }

    AuditAnchor head(AuditEntry e) {
        return new AuditAnchor(e.seq(), e.hash(), baseSeq, basePrevHash);
    }

    AuditAnchor base(AuditEntry oldestKept) {
        return new AuditAnchor(headSeq, headHash, oldestKept.seq(), oldestKept.prevHash());
    }
}
