package io.sitegate.modem;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What differs between modem vendors, as data plus small strategy functions (no class hierarchy).
 *
 * @param name a readable name, e.g. {@code Quectel EC25}
 * @param identification matched (find, case-insensitive) against the {@code ATI} and {@code AT+CGMM} output
 * @param initSequence commands that bring a freshly opened port into the state the channel expects. Only
 *     {@code ATE0} is required (with echo on every answer starts with the command): a modem that refuses it
 *     is not brought up and is retried with back-off. Every other init command is optional, because the
 *     gateway still registers and connects without it: {@code AT+CMEE=1} (errors are then a plain
 *     {@code ERROR}), the registration URCs {@code +CREG/+CGREG/+CEREG=2} (registration is polled anyway;
 *     {@code +CEREG} does not exist on 2G/3G modules), SMS text mode and {@code +CNMI} (SMS features degrade)
 *     and vendor extras such as {@code AT+QCFG="urc/ri/ring"}. An optional command the model answers as not
 *     supported (a plain {@code ERROR} or {@code +CME ERROR: 4}) is learned once and skipped for that model;
 *     refused otherwise, it is logged and tried again at the next initialisation. The same holds for the
 *     optional queries: the vendor signal query (then {@code AT+CSQ}), data counters and DNS configuration.
 * @param supportedRats the RATs this modem can be asked for
 * @param ratSelector builds the commands for a RAT preference order (only called with supported RATs)
 * @param dnsConfigurator builds the commands that set DNS servers for a context, null when the modem has none
 * @param signal the vendor's richest signal query
 * @param dataCounters the vendor's packet data counter query, null when the modem has none
 * @param iccid the vendor's ICCID query
 * @param urcPrefixes vendor-specific unsolicited result code prefixes
 * @param accessTechnologies how the modem's {@code <AcT>} numbers are read
 * @param pdpAuthentication builds the PDP context authentication command
 */
public record ModemProfile(String name, Pattern identification, List<AtCommand> initSequence,
                           Set<Rat> supportedRats, RatSelector ratSelector, DnsConfigurator dnsConfigurator,
                           ModemQuery<SignalQuality> signal, ModemQuery<DataCounters> dataCounters,
                           ModemQuery<String> iccid, Set<String> urcPrefixes,
                           AccessTechnologyTable accessTechnologies, PdpAuthentication pdpAuthentication) {

    /** Builds the commands for a RAT preference order. */
    @FunctionalInterface
    public interface RatSelector {
        /** @param order preferred first; one entry means "only this RAT" */
        List<AtCommand> commandsFor(List<Rat> order);
    }

    /** Builds the commands that set the DNS servers used for a PDP context. */
    @FunctionalInterface
    public interface DnsConfigurator {
        /** @param secondary may be null */
        List<AtCommand> commandsFor(int cid, String primary, String secondary);
    }

    /** Builds the command that sets the user name and password of a PDP context. */
    @FunctionalInterface
    public interface PdpAuthentication {
        /**
         * 3GPP TS 27.007 §10.1.31: {@code AT+CGAUTH=<cid>,<auth_prot>,<userid>,<password>}.
         */
        PdpAuthentication STANDARD = (cid, protocol, user, password) -> AtCommand.of("AT+CGAUTH=" + cid + ","
                + protocol.code() + ",\"" + user + "\",\"" + password + "\"");

        /**
         * @param user and {@code password} are already checked: no {@code "}, {@code ;} or control character
         */
        AtCommand commandFor(int cid, AuthProtocol protocol, String user, String password);
    }

    /** 27.007 §10.1.31 {@code <auth_prot>}: 0 none, 1 PAP, 2 CHAP. */
    public enum AuthProtocol {
        /** 0 */ NONE(0),
        /** 1 */ PAP(1),
        /** 2 */ CHAP(2);

        private final int code;

        AuthProtocol(int code) {
            this.code = code;
        }

        /** The numeric {@code <auth_prot>}. */
        public int code() {
            return code;
        }
    }

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** Copies the collections and requires the mandatory parts. */
    public ModemProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(identification, "identification");
        initSequence = List.copyOf(initSequence);
        supportedRats = supportedRats.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(supportedRats));
        Objects.requireNonNull(ratSelector, "ratSelector");
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(iccid, "iccid");
        urcPrefixes = Set.copyOf(urcPrefixes);
        Objects.requireNonNull(accessTechnologies, "accessTechnologies");
        Objects.requireNonNull(pdpAuthentication, "pdpAuthentication");
    }

    /** A profile reading {@code <AcT>} by 27.007 and authenticating with the standard {@code AT+CGAUTH}. */
    public ModemProfile(String name, Pattern identification, List<AtCommand> initSequence, Set<Rat> supportedRats,
                        RatSelector ratSelector, DnsConfigurator dnsConfigurator, ModemQuery<SignalQuality> signal,
                        ModemQuery<DataCounters> dataCounters, ModemQuery<String> iccid, Set<String> urcPrefixes) {
        this(name, identification, initSequence, supportedRats, ratSelector, dnsConfigurator, signal, dataCounters,
                iccid, urcPrefixes, AccessTechnologyTable.STANDARD, PdpAuthentication.STANDARD);
    }

    /** This profile with another {@code <AcT>} table. */
    public ModemProfile withAccessTechnologies(AccessTechnologyTable table) {
        return new ModemProfile(name, identification, initSequence, supportedRats, ratSelector, dnsConfigurator,
                signal, dataCounters, iccid, urcPrefixes, table, pdpAuthentication);
    }

    /** This profile with another PDP authentication command. */
    public ModemProfile withPdpAuthentication(PdpAuthentication authentication) {
        return new ModemProfile(name, identification, initSequence, supportedRats, ratSelector, dnsConfigurator,
                signal, dataCounters, iccid, urcPrefixes, accessTechnologies, authentication);
    }

    /**
     * The command setting the credentials of context {@code cid}.
     *
     * @throws IllegalArgumentException when the protocol is NONE, the cid is out of range, or the user name or the
     *     password holds a {@code "}, a {@code ;} or a control character (the message never repeats either value)
     */
    public AtCommand authentication(int cid, AuthProtocol protocol, String user, String password) {
        if (protocol == AuthProtocol.NONE) {
            throw new IllegalArgumentException("no credentials are sent without an authentication protocol");
        }
        if (cid < 0 || cid > 32) {
            throw new IllegalArgumentException("context id out of range: " + cid);
        }
        if (!isAtStringSafe(user)) {
            throw new IllegalArgumentException("the APN user name holds a '\"', a ';' or a control character");
        }
        if (!isAtStringSafe(password)) {
            throw new IllegalArgumentException("the APN password holds a '\"', a ';' or a control character");
        }
        return pdpAuthentication.commandFor(cid, protocol, user, password);
    }

    /**
     * Whether text can stand inside a quoted AT string parameter: no {@code "} (ends the string), no {@code ;}
     * (V.250 command separator, read as such by some firmware even inside quotes), no control character.
     */
    public static boolean isAtStringSafe(String text) {
        return text != null && text.chars().allMatch(c -> c >= 0x20 && c != 0x7f && c != '"' && c != ';');
    }

    /** Whether the {@code ATI}/{@code AT+CGMM} output identifies this modem. */
    public boolean matches(String identificationText) {
        return identificationText != null && identification.matcher(identificationText).find();
    }

    /**
     * The commands selecting {@code order}.
     *
     * @throws UnsupportedCapabilityException naming this profile and the RAT when a RAT is not supported
     * @throws IllegalArgumentException when the order is empty or repeats a RAT
     */
    public List<AtCommand> ratSelection(List<Rat> order) {
        if (order == null || order.isEmpty()) {
            throw new IllegalArgumentException("RAT order must name at least one RAT");
        }
        if (Set.copyOf(order).size() != order.size()) {
            throw new IllegalArgumentException("RAT order repeats a RAT: " + order);
        }
        for (Rat rat : order) {
            if (!supportedRats.contains(rat)) {
                throw new UnsupportedCapabilityException(name, "RAT " + rat + " (supported: " + sorted(supportedRats) + ")");
            }
        }
        return List.copyOf(ratSelector.commandsFor(List.copyOf(order)));
    }

    /**
     * The commands setting DNS servers for context {@code cid}.
     *
     * @param primary an IPv4 or IPv6 literal
     * @param secondary an IP literal or null
     * @throws UnsupportedCapabilityException when the modem has no DNS configuration command
     * @throws IllegalArgumentException when an address is not an IP literal (no name is ever resolved here)
     */
    public List<AtCommand> dnsConfiguration(int cid, String primary, String secondary) {
        if (dnsConfigurator == null) {
            throw new UnsupportedCapabilityException(name, "DNS server configuration");
        }
        requireIpLiteral(primary);
        if (secondary != null) {
            requireIpLiteral(secondary);
        }
        if (cid < 0 || cid > 32) {
            throw new IllegalArgumentException("context id out of range: " + cid);
        }
        return List.copyOf(dnsConfigurator.commandsFor(cid, primary, secondary));
    }

    /** The data counter query, empty when the modem keeps none reachable by AT. */
    public Optional<ModemQuery<DataCounters>> dataCounterQuery() {
        return Optional.ofNullable(dataCounters);
    }

    private static void requireIpLiteral(String address) {
        if (address == null || !(IPV4.matcher(address).matches() || IPV6.matcher(address).matches())) {
            throw new IllegalArgumentException("not an IP address literal: " + address);
        }
    }

    private static List<Rat> sorted(Set<Rat> rats) {
        List<Rat> list = new ArrayList<>(rats);
        list.sort(null);
        return list;
    }

    @Override
    public String toString() {
        return "ModemProfile[" + name + "]";
    }
}
