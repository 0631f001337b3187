package io.sitegate.modem;

import java.time.Duration;
import java.util.List;

/**
 * One cellular modem, as configured by a factory configuration {@code io.sitegate.modem~<id>}.
 * Registered as a service with the property {@code modem.id}. Every call talks to the modem over its
 * one serialised AT channel and is bounded by a timeout; none blocks forever.
 */
public interface Modem {

    /** Service property carrying the modem id. */
    String ID_PROPERTY = "modem.id";

    /** The id, for example {@code wan0}. */
    String id();

    /** The latest known status (refreshed by the connection keeper); never blocks. */
    ModemStatus status();

    /** Reads identity and SIM identity from the modem now. */
    ModemIdentity readIdentity() throws ModemException;

    /**
     * Sets the radio access technologies the modem may use, in order of preference, through its
     * profile's commands.
     *
     * @throws ModemException with an {@link UnsupportedCapabilityException} cause when the modem
     *                        cannot do one of them: never silently ignored
     */
    void setRatOrder(List<Rat> order) throws ModemException;

    /** Selects the network: {@code null} for automatic, else a PLMN (MCC+MNC, 5 or 6 digits). */
    void selectOperator(String plmn) throws ModemException;

    /** Pushes DNS servers to the modem (IP literals) with the profile's command. */
    void setDnsServers(String primary, String secondary) throws ModemException;

    /** Asks for the data session (it starts once registered and every gate allows it). */
    void connect() throws ModemException;

    /** Takes the data session down and keeps it down until {@link #connect()}. */
    void disconnect() throws ModemException;

    /** Radio on ({@code AT+CFUN=1}) or off ({@code AT+CFUN=0}). */
    void setRadio(boolean on) throws ModemException;

    /** Sends a text SMS; returns the message reference. */
    int sendSms(String number, String text) throws ModemException;

    /** Lists the SMS stored on the modem/SIM. */
    List<SmsMessage> listSms() throws ModemException;

    /** Deletes one stored SMS. */
    void deleteSms(int index) throws ModemException;

    /** Sends a raw AT command (technician use) and returns whatever the modem answered. */
    AtResponse execute(String command, Duration timeout) throws ModemException;

    /** Asks the connection keeper to evaluate the gates again now (a policy changed). */
    void reevaluateGates();
}
