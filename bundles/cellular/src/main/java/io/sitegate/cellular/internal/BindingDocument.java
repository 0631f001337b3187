package io.sitegate.cellular.internal;

import io.sitegate.cellular.LearnedBinding;
import io.sitegate.modem.ModemIdentifiers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The learned binding as stored in the state store (key {@code cellular.binding.<modem>}), format 1:
 * <pre>
 * format=1
 * iccid=89490200001234567890
 * imei=867962040000013
 * imsi=262011234567890      (blank when it could not be read)
 * learnedAt=2025-03-14T09:30:00Z
 * </pre>
 * A reset deletes the document; there is no "empty" binding document.
 */
public final class BindingDocument {
    static final int FORMAT = 1;
    private static final String NAME = "cellular binding";
    private static final Set<String> FIELDS = Set.of("imei", "iccid", "imsi", "learnedAt");

    private BindingDocument() {
    }

    /** The document for a learned binding. */
    public static byte[] encode(LearnedBinding binding) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("imei", binding.imei());
        fields.put("iccid", binding.iccid());
        fields.put("imsi", binding.imsi());
        fields.put("learnedAt", binding.learnedAt().toString());
        return StateDocument.write(FORMAT, fields);
    }

    /**
     * Reads a learned binding back, refusing anything that is not exactly a format-1 document with a
     * valid IMEI and ICCID.
     *
     * @throws MalformedStateException naming the field
     */
    public static LearnedBinding decode(byte[] document) throws MalformedStateException {
        StateDocument doc = StateDocument.read(NAME, document, FORMAT, FIELDS);
        String imei = doc.required("imei");
        if (!ModemIdentifiers.isValidImei(imei)) {
            throw doc.refuse("imei", "is not a valid IMEI: '" + imei + "'");
        }
        String iccid = doc.required("iccid");
        if (!ModemIdentifiers.isValidIccid(iccid)) {
            throw doc.refuse("iccid", "is not a valid ICCID: '" + iccid + "'");
        }
        String imsi = doc.present("imsi");
        if (!imsi.isEmpty() && !ModemIdentifiers.isValidImsi(imsi)) {
            throw doc.refuse("imsi", "is not a valid IMSI: '" + imsi + "'");
        }
        return new LearnedBinding(imei, Identities.normaliseIccid(iccid), imsi, doc.instant("learnedAt"));
    }
}
