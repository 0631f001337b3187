package io.sitegate.modem;

import java.util.Optional;

/** The {@code <AcT>} values of 3GPP TS 27.007 (+COPS, +CREG, +CGREG, +CEREG). */
public enum AccessTechnology {
    /** 0 */ GSM(0, Rat.GSM),
    /** 1 */ GSM_COMPACT(1, Rat.GSM),
    /** 2 */ UTRAN(2, Rat.UMTS),
    /** 3 */ GSM_EGPRS(3, Rat.GSM),
    /** 4 */ UTRAN_HSDPA(4, Rat.UMTS),
    /** 5 */ UTRAN_HSUPA(5, Rat.UMTS),
    /** 6 */ UTRAN_HSDPA_HSUPA(6, Rat.UMTS),
    /** 7: LTE, and LTE Cat M1 on most modems (27.007 does not tell them apart). */ E_UTRAN(7, Rat.LTE),
    /** 8: EC-GSM-IoT in 27.007; Quectel BG96 reports Cat M1 as 8, see {@link #LTE_CAT_M1}. */ EC_GSM_IOT(8, Rat.GSM),
    /** 9: E-UTRAN NB-S1 mode, i.e. NB-IoT. */ E_UTRAN_NB_S1(9, Rat.NB_IOT),
    /** 10 */ E_UTRA_5GCN(10, Rat.LTE),
    /** 11 */ NR_5GCN(11, null),
    /** 12 */ NG_RAN(12, null),
    /** 13 */ E_UTRA_NR_DUAL(13, Rat.LTE),
    /**
     * 8 as Quectel BG96/BG95/BG77 report it: LTE Cat M1 (eMTC). Never returned by {@link #ofCode}; only a
     * profile's {@link AccessTechnologyTable} maps 8 to it.
     */
    LTE_CAT_M1(8, Rat.LTE_M);

    private final int code;
    private final Rat rat;

    AccessTechnology(int code, Rat rat) {
        this.code = code;
        this.rat = rat;
    }

    /** The numeric {@code <AcT>}. */
    public int code() {
        return code;
    }

    /** The coarse RAT, empty for 5G values Sitegate does not select. */
    public Optional<Rat> rat() {
        return Optional.ofNullable(rat);
    }

    /** The 27.007 meaning of a numeric {@code <AcT>}, empty when unknown. */
    public static Optional<AccessTechnology> ofCode(int code) {
        for (AccessTechnology t : values()) {
            if (t.code == code && t != LTE_CAT_M1) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
