package io.sitegate.modem;

/**
 * A text-mode SMS from {@code +CMGL} or {@code +CMGR} (3GPP TS 27.005 §3.4.2, §3.4.3).
 *
 * @param index storage index ({@code -1} for +CMGR, which does not repeat it)
 * @param status {@code REC UNREAD}, {@code REC READ}, {@code STO UNSENT}, {@code STO SENT}
 * @param address originator or destination address
 * @param timestamp service centre time stamp as sent by the modem, may be empty
 * @param text the message text (lines joined with '\n')
 */
public record SmsMessage(int index, String status, String address, String timestamp, String text) {
}
