package io.sitegate.modem;

/**
 * A {@code +CMTI: <mem>,<index>} unsolicited code: a new SMS was stored.
 *
 * @param storage the memory, e.g. {@code SM} or {@code ME}
 * @param index where it was stored
 */
public record NewSmsIndication(String storage, int index) {
}
