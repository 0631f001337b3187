package io.sitegate.cellular.internal;

import io.sitegate.cellular.BindingChange;
import io.sitegate.cellular.BindingVerdict;
import io.sitegate.cellular.BoundPair;
import io.sitegate.cellular.CellularEvent;
import io.sitegate.cellular.QuotaAction;
import io.sitegate.cellular.QuotaKind;
import io.sitegate.core.SitegateTopics;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the cellular events with the properties {@link SitegateTopics} documents for each topic. */
final class CellularEvents {
    private CellularEvents() {
    }

    /** {@code BINDING_VIOLATED}: modem, outcome, reason, expected and seen IMEI/ICCID (blank when unknown). */
    static CellularEvent bindingViolated(String modem, BindingVerdict verdict) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("modem", modem);
        p.put("outcome", verdict.outcome().name());
        p.put("reason", verdict.reason());
        p.put("expectedImei", verdict.expected().map(BoundPair::imei).orElse(""));
        p.put("expectedIccid", verdict.expected().map(BoundPair::iccid).orElse(""));
        p.put("seenImei", verdict.seenImei());
        p.put("seenIccid", verdict.seenIccid());
        return new CellularEvent(SitegateTopics.BINDING_VIOLATED, p);
    }

    /** {@code BINDING_CHANGED}: modem, action ({@code learned}, {@code reset}), imei, iccid, by. */
    static CellularEvent bindingChanged(String modem, BindingChange change) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("modem", modem);
        p.put("action", change.action().name().toLowerCase(java.util.Locale.ROOT));
        p.put("imei", change.binding().map(b -> b.imei()).orElse(""));
        p.put("iccid", change.binding().map(b -> b.iccid()).orElse(""));
        p.put("by", change.by());
        return new CellularEvent(SitegateTopics.BINDING_CHANGED, p);
    }

    /** {@code NETWORK_NOT_ALLOWED}: modem, mcc, mnc, plmn (blank when the network is unknown), reason. */
    static CellularEvent networkNotAllowed(String modem, String plmn, String reason) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("modem", modem);
        p.put("mcc", plmn.length() >= 5 ? plmn.substring(0, 3) : "");
        p.put("mnc", plmn.length() >= 5 ? plmn.substring(3) : "");
        p.put("plmn", plmn);
        p.put("reason", reason);
        return new CellularEvent(SitegateTopics.NETWORK_NOT_ALLOWED, p);
    }

    /** {@code QUOTA_THRESHOLD}: quota, percent, used, limit, action, cycleEnd. */
    static CellularEvent quotaThreshold(QuotaKind kind, int percent, long used, long limit, QuotaAction action,
                                        String cycleEnd) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("quota", kind.label());
        p.put("percent", percent);
        p.put("used", used);
        p.put("limit", limit);
        p.put("action", action.configName());
        p.put("cycleEnd", cycleEnd);
        return new CellularEvent(SitegateTopics.QUOTA_THRESHOLD, p);
    }
}
