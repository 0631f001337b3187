package io.sitegate.tools.modemsim;

/**
 * Radio measurements in physical units, converted to the index scales the AT commands report:
 * {@code +CSQ} rssi (27.007 §8.5), {@code +CESQ} rsrq/rsrp (§8.69), Quectel's SINR in fifths of a dB.
 */
public final class SignalQuality {

    private int rssiDbm = -71;
    private int rsrpDbm = -95;
    private int rsrqDb = -10;
    private int sinrDb = 12;
    private int ber = 99;

    public int rssiDbm() { return rssiDbm; }
    public void rssiDbm(int v) { rssiDbm = v; }
    public int rsrpDbm() { return rsrpDbm; }
    public void rsrpDbm(int v) { rsrpDbm = v; }
    public int rsrqDb() { return rsrqDb; }
    public void rsrqDb(int v) { rsrqDb = v; }
    public int sinrDb() { return sinrDb; }
    public void sinrDb(int v) { sinrDb = v; }
    public int ber() { return ber; }
    public void ber(int v) { ber = v; }

    /** @return {@code +CSQ} rssi index: 0 at -113 dBm or less, 31 at -51 dBm or more */
    public int csqIndex() {
        return clamp((rssiDbm + 113) / 2, 0, 31);
    }

    /** @return {@code +CESQ} rsrp index: 0 below -140 dBm, 97 at -44 dBm or more */
    public int cesqRsrp() {
        return clamp(rsrpDbm + 141, 0, 97);
    }

    /** @return {@code +CESQ} rsrq index: 0 below -19.5 dB, 34 at -3 dB or more */
    public int cesqRsrq() {
        return clamp((rsrqDb + 20) * 2, 0, 34);
    }

    /** @return SINR in Quectel's scale: fifths of a dB from -20 dB, 0..250 */
    public int quectelSinr() {
        return clamp((sinrDb + 20) * 5, 0, 250);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
