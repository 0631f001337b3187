package io.sitegate.modem;

/**
 * Who the modem and its SIM are.
 *
 * @param imei         the modem's IMEI (15 digits, Luhn-checked by the parser)
 * @param imsi         the SIM's IMSI, empty when the SIM is absent or locked
 * @param iccid        the SIM's ICCID, empty when the SIM is absent
 * @param manufacturer +CGMI
 * @param model        +CGMM
 * @param firmware     +CGMR
 */
public record ModemIdentity(String imei, String imsi, String iccid, String manufacturer, String model, String firmware) {
}
