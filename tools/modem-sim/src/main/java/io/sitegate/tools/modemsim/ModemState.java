package io.sitegate.tools.modemsim;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Everything the simulated module knows: identity, SIM, functionality level, terminal settings, RAT
 * preferences, DNS, and the registration, signal, packet data and SMS parts. Not thread-safe on its own:
 * every access goes through the {@link SimulatedModem} lock.
 */
public final class ModemState {

    /** Default IMEI: TAC 86796204, serial 000001, valid Luhn check digit. */
    public static final String DEFAULT_IMEI = ImeiCheckDigit.complete("86796204000001");

    private String imei = DEFAULT_IMEI;
    private String imsi = "262011234567890";
    private String iccid = "89490200001234567890";
    private String manufacturer;
    private String model;
    private String revision;
    private SimStatus sim = SimStatus.READY;
    private String pin = "1234";
    private int pinAttemptsLeft = 3;
    private boolean pinEnabled;
    private int cfun = 1;
    private boolean echo = true;
    private int cmee;
    private boolean textMode;
    private String cnmi = "2,1,0,0,0";
    private final Map<String, String> ratPreferences = new TreeMap<>();
    private String networkDnsPrimary = "10.74.210.210";
    private String networkDnsSecondary = "10.74.210.211";
    private final Map<Integer, String[]> dnsByContext = new TreeMap<>();
    private final Registration registration;
    private final SignalQuality signal = new SignalQuality();
    private final PacketData packetData;
    private final SmsStorage sms = new SmsStorage(30);

    /**
     * @param vendor    the dialect whose identity and power-on defaults apply
     * @param nanoClock monotonic clock for the data counters
     */
    public ModemState(Vendor vendor, LongSupplier nanoClock) {
        this.manufacturer = vendor.manufacturer();
        this.model = vendor.model();
        this.revision = vendor.revision();
        this.cmee = vendor.defaultCmee();
        this.registration = new Registration(vendor.defaultAct());
        this.packetData = new PacketData(new DataCounters(nanoClock));
    }

    public String imei() { return imei; }
    public void imei(String v) { imei = v; }
    public String imsi() { return imsi; }
    public void imsi(String v) { imsi = v; }
    public String iccid() { return iccid; }
    public void iccid(String v) { iccid = v; }
    public String manufacturer() { return manufacturer; }
    public void manufacturer(String v) { manufacturer = v; }
    public String model() { return model; }
    public void model(String v) { model = v; }
    public String revision() { return revision; }
    public void revision(String v) { revision = v; }

    public SimStatus sim() { return sim; }
    public void sim(SimStatus v) { sim = v; }
    public String pin() { return pin; }
    public void pin(String v) { pin = v; }
    /** @return true when the SIM asks for its PIN at every power-on */
    public boolean pinEnabled() { return pinEnabled; }
    public void pinEnabled(boolean v) { pinEnabled = v; }
    public int pinAttemptsLeft() { return pinAttemptsLeft; }
    public void pinAttemptsLeft(int v) { pinAttemptsLeft = v; }

    /** @return the {@code +CFUN} level: 0 minimum, 1 full, 4 radio off */
    public int cfun() { return cfun; }
    public void cfun(int v) { cfun = v; }
    public boolean echo() { return echo; }
    public void echo(boolean v) { echo = v; }
    public int cmee() { return cmee; }
    public void cmee(int v) { cmee = v; }
    public boolean textMode() { return textMode; }
    public void textMode(boolean v) { textMode = v; }
    public String cnmi() { return cnmi; }
    public void cnmi(String v) { cnmi = v; }

    /** @return RAT preferences as last set by vendor commands, keyed by setting (nwscanmode, cnmp, urat...) */
    public Map<String, String> ratPreferences() { return ratPreferences; }

    public String networkDnsPrimary() { return networkDnsPrimary; }
    public String networkDnsSecondary() { return networkDnsSecondary; }

    /** Sets the DNS servers the network hands out (what a module reports before anyone overrides them). */
    public void networkDns(String primary, String secondary) {
        networkDnsPrimary = primary;
        networkDnsSecondary = secondary;
    }

    /** @return DNS servers per PDP context set by {@code AT+QIDNSCFG} / {@code AT+CDNSCFG} (context 0 for SIMCom) */
    public Map<Integer, String[]> dnsByContext() { return dnsByContext; }

    public Registration registration() { return registration; }
    public SignalQuality signal() { return signal; }
    public PacketData packetData() { return packetData; }
    public SmsStorage sms() { return sms; }
}
