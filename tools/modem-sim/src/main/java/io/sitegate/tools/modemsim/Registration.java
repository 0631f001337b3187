package io.sitegate.tools.modemsim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The network side as the scenario sets it (registration status, serving cell, operator) plus what the
 * host chose: {@code +CREG/+CGREG/+CEREG} report modes and {@code +COPS} selection. What the module reports
 * is derived from both by {@link SimulatedModem#effectiveRegistration()}.
 */
public final class Registration {

    private int stat = 1;
    private int act;
    private String area = "1A2B";
    private String cellId = "01A2B3C4";
    private String plmn = "26201";
    private String name = "Telekom.de";
    private int cregMode;
    private int cgregMode;
    private int ceregMode;
    private int copsMode;
    private int copsFormat;
    private String manualPlmn;
    private final Map<String, String> visibleNetworks = new LinkedHashMap<>();

    Registration(int defaultAct) {
        this.act = defaultAct;
        visibleNetworks.put("26201", "Telekom.de");
        visibleNetworks.put("26202", "Vodafone.de");
        visibleNetworks.put("26203", "o2 - de");
    }

    /** @return 27.007 registration status: 0 not searching, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming */
    public int stat() { return stat; }
    public void stat(int v) { stat = v; }
    /** @return access technology: 0 GSM, 2 UTRAN, 7 E-UTRAN, 8 LTE-M (Quectel), 9 NB-IoT */
    public int act() { return act; }
    public void act(int v) { act = v; }
    /** @return location or tracking area code, hex */
    public String area() { return area; }
    public void area(String v) { area = v; }
    /** @return cell identity, hex */
    public String cellId() { return cellId; }
    public void cellId(String v) { cellId = v; }
    /** @return serving network MCC+MNC */
    public String plmn() { return plmn; }
    public void plmn(String v) { plmn = v; }
    /** @return serving network long name */
    public String name() { return name; }
    public void name(String v) { name = v; }

    public int cregMode() { return cregMode; }
    public void cregMode(int v) { cregMode = v; }
    public int cgregMode() { return cgregMode; }
    public void cgregMode(int v) { cgregMode = v; }
    public int ceregMode() { return ceregMode; }
    public void ceregMode(int v) { ceregMode = v; }

    /** @return {@code +COPS} mode: 0 automatic, 1 manual, 2 deregistered */
    public int copsMode() { return copsMode; }
    public void copsMode(int v) { copsMode = v; }
    /** @return {@code +COPS} operator format: 0 long, 1 short, 2 numeric */
    public int copsFormat() { return copsFormat; }
    public void copsFormat(int v) { copsFormat = v; }
    /** @return the PLMN chosen by {@code AT+COPS=1,...}, or null */
    public String manualPlmn() { return manualPlmn; }
    public void manualPlmn(String v) { manualPlmn = v; }

    /** @return networks answered by {@code AT+COPS=?}: PLMN to long name, in scan order */
    public Map<String, String> visibleNetworks() { return visibleNetworks; }

    /**
     * The registration as the module reports it.
     *
     * @param stat   registration status
     * @param act    access technology
     * @param area   LAC/TAC hex
     * @param cellId cell id hex
     * @param plmn   MCC+MNC
     * @param name   operator long name
     */
    public record View(int stat, int act, String area, String cellId, String plmn, String name) {

        /** @return true when registered, home or roaming */
        public boolean registered() {
            return stat == 1 || stat == 5;
        }
    }
}
