package io.sitegate.policy.internal.apply;

import io.sitegate.core.config.ConfigSection;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The one state document of the policy agent: what is in force (the high-water marks and the version
 * in force) and the last transaction with everything a restart needs to finish it. It is one document so
 * that a phase and the high-water mark it implies change in the same atomic write.
 *
 * @param phase          the last transaction's phase
 * @param version        the last transaction's policy version (0 when there never was one)
 * @param target         its target
 * @param keyId          the key that signed it
 * @param candidate      the policy document as JSON, as verified
 * @param lkgVersion     the version in force before the transaction (0: none)
 * @param lkg            the last-known-good: a snapshot of every section the transaction touches,
 *                       taken before anything was applied; cleared once the transaction is final
 * @param fallback       while {@link Phase#FALLING_BACK}: the sections being put in force (the defaults
 *                       with the carried-over cloud settings), so a restart applies exactly the same
 * @param reason         why the transaction rolled back or fell back
 * @param highWaterMarks per target, the highest version ever confirmed
 * @param inForceVersion the confirmed version in force (0: none, or the shipped defaults after a fallback)
 * @param layers         per target, the candidate (JSON) of its policy in force: the gateway's own policy overrides
 *                       its groups' section by section, so a new policy is merged with the other targets' layers
 * @param lkgLayer       the layer its target had before the last confirmed transaction ({@code ""}: none), for
 *                       an operator's rollback
 */
public record Journal(Phase phase, long version, String target, String keyId, String candidate, long lkgVersion,
        Map<String, ConfigSection> lkg, Map<String, ConfigSection> fallback, String reason,
        Map<String, Long> highWaterMarks, long inForceVersion, Map<String, String> layers, String lkgLayer) {

    public Journal {
        Objects.requireNonNull(phase, "phase");
        target = target == null ? "" : target;
        keyId = keyId == null ? "" : keyId;
        candidate = candidate == null ? "" : candidate;
        reason = reason == null ? "" : reason;
        lkg = Collections.unmodifiableMap(new TreeMap<>(lkg));
        fallback = Collections.unmodifiableMap(new TreeMap<>(fallback));
        highWaterMarks = Collections.unmodifiableMap(new TreeMap<>(highWaterMarks));
        layers = Collections.unmodifiableMap(new TreeMap<>(layers));
        lkgLayer = lkgLayer == null ? "" : lkgLayer;
    }

    /** The journal of a gateway that never applied a policy. */
    static Journal empty() {
        return new Journal(Phase.CONFIRMED, 0, "", "", "", 0, Map.of(), Map.of(), "", Map.of(), 0, Map.of(), "");
    }

    /** The highest version confirmed for {@code target}; 0 when none. */
    public long highWaterMark(String target) {
        return highWaterMarks.getOrDefault(target, 0L);
    }

    Journal phase(Phase next, String why) {
        return new Journal(next, version, target, keyId, candidate, lkgVersion, lkg, fallback, why, highWaterMarks,
                inForceVersion, layers, lkgLayer);
    }

    Journal fallingBack(Map<String, ConfigSection> sections, String why) {
        return new Journal(Phase.FALLING_BACK, version, target, keyId, candidate, lkgVersion, lkg, sections, why,
                highWaterMarks, inForceVersion, layers, lkgLayer);
    }

    /**
     * The final journal of a transaction that did not confirm: the snapshots are no longer needed. After a
     * fallback no policy is in force (the shipped defaults are), though the high-water marks stay.
     */
    Journal ended(Phase terminal, String why) {
        return new Journal(terminal, version, target, keyId, candidate, lkgVersion, Map.of(), Map.of(), why,
                highWaterMarks, terminal == Phase.FALLBACK ? 0 : inForceVersion, terminal == Phase.FALLBACK ? Map.of() : layers,
                lkgLayer);
    }

    /**
     * The candidate is confirmed: it is the high-water mark for its target, the version in force and its
     * target's layer. The last-known-good stays, for an operator's {@code policy-rollback}.
     */
    Journal confirmed() {
        Map<String, Long> marks = new TreeMap<>(highWaterMarks);
        marks.merge(target, version, Math::max);
        Map<String, String> nextLayers = new TreeMap<>(layers);
        nextLayers.put(target, candidate);
        return new Journal(Phase.CONFIRMED, version, target, keyId, candidate, lkgVersion, lkg, Map.of(), "",
                marks, version, nextLayers, layers.getOrDefault(target, ""));
    }

    /**
     * An operator's rollback of the confirmed policy: its last-known-good is being restored and the version
     * before it is in force again (the high-water mark stays: the cloud cannot replay the policy rolled back).
     */
    Journal operatorRollback(String why) {
        Map<String, String> previous = new TreeMap<>(layers);
        if (lkgLayer.isEmpty()) {
            previous.remove(target);
        } else {
            previous.put(target, lkgLayer);
        }
        return new Journal(Phase.ROLLING_BACK, version, target, keyId, candidate, lkgVersion, lkg, Map.of(), why,
                highWaterMarks, lkgVersion, previous, "");
    }
}
