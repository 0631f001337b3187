package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The module dialects the simulator speaks: identity defaults, how the ICCID is read, boot URCs and which
 * vendor command family is present. Data, not a class hierarchy.
 */
public enum Vendor {
    GENERIC("generic", Family.GENERIC, "Sitegate", "SG-SIM LTE", "SG01.00.00", "+CCID", "+CCID: ", 7, 1),
    QUECTEL_EC25("quectel-ec25", Family.QUECTEL, "Quectel", "EC25", "EC25EFAR06A06M4G", "+QCCID", "+QCCID: ", 7, 1),
    QUECTEL_BG96("quectel-bg96", Family.QUECTEL, "Quectel", "BG96", "BG96MAR02A07M1G", "+QCCID", "+QCCID: ", 8, 1),
    SIMCOM_SIM7600("simcom-sim7600", Family.SIMCOM, "SIMCOM INCORPORATED", "SIMCOM_SIM7600E-H", "LE20B04SIM7600M22",
            "+CICCID", "+ICCID: ", 7, 0),
    /**
     * SIM7080G per "SIM7070_SIM7080_SIM7090 Series AT Command Manual" V1.07: ATI answers a revision only
     * ({@code R1951.01}), AT+CGMM {@code SIMCOM_SIM7080G}, AT+CCID bare digits.
     */
    SIMCOM_SIM7080("simcom-sim7080", Family.SIMCOM, "SIMCOM_Ltd", "SIMCOM_SIM7080G", "1951B17SIM7080", "+CCID", "", 7, 0),
    UBLOX_SARA_R4("ublox-sara-r4", Family.UBLOX, "u-blox", "SARA-R410M-02B", "L0.0.00.00.05.06 [Feb 03 2018 13:00:41]",
            "+CCID", "+CCID: ", 7, 0),
    UBLOX_SARA_R5("ublox-sara-r5", Family.UBLOX, "u-blox", "SARA-R510S", "03.15", "+CCID", "+CCID: ", 7, 0);

    /** Vendor command families; each has its own command table. */
    public enum Family { GENERIC, QUECTEL, SIMCOM, UBLOX }

    private final String id;
    private final Family family;
    private final String manufacturer;
    private final String model;
    private final String revision;
    private final String ccidCommand;
    private final String ccidPrefix;
    private final int defaultAct;
    private final int defaultCmee;

    Vendor(String id, Family family, String manufacturer, String model, String revision, String ccidCommand,
            String ccidPrefix, int defaultAct, int defaultCmee) {
        this.id = id;
        this.family = family;
        this.manufacturer = manufacturer;
        this.model = model;
        this.revision = revision;
        this.ccidCommand = ccidCommand;
        this.ccidPrefix = ccidPrefix;
        this.defaultAct = defaultAct;
        this.defaultCmee = defaultCmee;
    }

    /**
     * @param id the command-line name, e.g. {@code quectel-ec25}
     * @return the vendor
     * @throws IllegalArgumentException naming the valid choices
     */
    public static Vendor byId(String id) {
        for (Vendor v : values()) {
            if (v.id.equals(id.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        List<String> ids = new ArrayList<>();
        for (Vendor v : values()) {
            ids.add(v.id);
        }
        throw new IllegalArgumentException("unknown vendor '" + id + "', expected one of " + ids);
    }

    public String id() {
        return id;
    }

    public Family family() {
        return family;
    }

    public String manufacturer() {
        return manufacturer;
    }

    public String model() {
        return model;
    }

    public String revision() {
        return revision;
    }

    /** @return the command that reads the ICCID: {@code +QCCID}, {@code +CICCID} or {@code +CCID} */
    public String ccidCommand() {
        return ccidCommand;
    }

    /** @return the prefix of the ICCID response line, empty for SIM70xx bare digits */
    public String ccidPrefix() {
        return ccidPrefix;
    }

    /** @return the access technology reported by default (7 LTE, 8 LTE-M on Quectel BG96) */
    public int defaultAct() {
        return defaultAct;
    }

    /** @return the {@code +CMEE} mode after power-on */
    public int defaultCmee() {
        return defaultCmee;
    }

    /** @return the ATI answer lines for an identity */
    public List<String> identification(ModemState s) {
        return switch (family) {
            case QUECTEL, GENERIC -> List.of(s.manufacturer(), s.model(), "Revision: " + s.revision());
            case SIMCOM -> this == SIMCOM_SIM7080 ? List.of("R1951.01")
                    : List.of("Manufacturer: " + s.manufacturer(), "Model: " + s.model(),
                    "Revision: " + s.revision(), "IMEI: " + s.imei(), "+GCAP: +CGSM");
            case UBLOX -> List.of(s.model());
        };
    }

    /** @return the AT+CGMR answer line */
    public String revisionLine(ModemState s) {
        if (this == SIMCOM_SIM7080) {
            return "Revision:" + s.revision(); // manual V1.07 §3.2.3 example "Revision:1951B05SIM7080G"
        }
        return family == Family.SIMCOM ? "+CGMR: " + s.revision() : s.revision();
    }

    /**
     * @return the URCs a module prints after power-on or {@code AT+CFUN=1,1}; u-blox modules print none
     */
    public List<String> bootUrcs(ModemState s) {
        List<String> urcs = new ArrayList<>();
        String cpin = switch (s.sim()) {
            case READY -> "+CPIN: READY";
            case PIN_LOCKED -> "+CPIN: SIM PIN";
            case PUK_LOCKED -> "+CPIN: SIM PUK";
            case ABSENT -> "+CPIN: NOT INSERTED";
        };
        boolean ready = s.sim() == SimStatus.READY;
        switch (family) {
            case QUECTEL -> {
                urcs.add("RDY");
                urcs.add("+CFUN: 1");
                urcs.add(cpin);
                if (ready) {
                    urcs.add("+QUSIM: 1");
                    urcs.add("+QIND: SMS DONE");
                    urcs.add("+QIND: PB DONE");
                }
            }
            case SIMCOM -> {
                urcs.add("RDY");
                urcs.add(cpin);
                if (ready) {
                    urcs.add("SMS DONE");
                    urcs.add("PB DONE");
                }
            }
            case GENERIC -> {
                urcs.add("RDY");
                urcs.add(cpin);
            }
            case UBLOX -> { }
        }
        return urcs;
    }
}
