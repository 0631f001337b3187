package io.sitegate.modem.internal.service;

import io.sitegate.core.Secret;
import io.sitegate.modem.AtChannel;
import io.sitegate.modem.AtCommand;
import io.sitegate.modem.AtCommandException;
import io.sitegate.modem.AtException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.DataCounters;
import io.sitegate.modem.ModemIdentity;
import io.sitegate.modem.ModemProfile;
import io.sitegate.modem.ModemProfile.AuthProtocol;
import io.sitegate.modem.NetworkRegistration;
import io.sitegate.modem.OperatorSelection;
import io.sitegate.modem.PdpAddress;
import io.sitegate.modem.Rat;
import io.sitegate.modem.SignalQuality;
import io.sitegate.modem.SimState;
import io.sitegate.modem.SmsMessage;
import io.sitegate.modem.internal.parse.IdentityParsers;
import io.sitegate.modem.internal.parse.OperatorParser;
import io.sitegate.modem.internal.parse.PdpParsers;
import io.sitegate.modem.internal.parse.RegistrationParser;
import io.sitegate.modem.internal.parse.SimStateParser;
import io.sitegate.modem.internal.parse.SmsParsers;
import io.sitegate.modem.ModemQuery;
import io.sitegate.modem.UnsupportedCapabilityException;
import io.sitegate.modem.internal.parse.SignalParsers;
import io.sitegate.modem.internal.profile.ModemProfiles;

import io.sitegate.core.SafeText;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modem operations Sitegate needs, as AT command sequences over one channel, using the
 * vendor profile for everything vendor-specific. Stateless apart from the detected profile and model;
 * optional commands the model does not support are skipped as {@link UnsupportedCommands} learned them.
 */
final class ModemDriver {
    private static final Logger LOG = LoggerFactory.getLogger(ModemDriver.class);
    static final Duration ACTIVATION_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration RADIO_TIMEOUT = Duration.ofSeconds(15);
    /** Without echo off every answer starts with the command: the only init command the channel cannot do without. */
    private static final Set<String> REQUIRED_INIT = Set.of("ATE0");
    /** 27.007 §8.5, answered by every modem: the signal when the vendor's richer query is not supported. */
    private static final ModemQuery<SignalQuality> CSQ = new ModemQuery<>(AtCommand.of("AT+CSQ"), SignalParsers::csq);

    private final AtChannel channel;
    private final UnsupportedCommands unsupported;
    private volatile ModemProfile profile = ModemProfiles.GENERIC;
    private volatile String model = "";

    ModemDriver(AtChannel channel) {
        this(channel, new UnsupportedCommands("?"));
    }

    ModemDriver(AtChannel channel, UnsupportedCommands unsupported) {
        this.channel = channel;
        this.unsupported = unsupported;
    }

    ModemProfile profile() {
        return profile;
    }

    /** Whether the channel still works (a failed query on an open channel is the modem's answer, not a lost link). */
    boolean channelOpen() {
        return channel.state() == io.sitegate.modem.ChannelState.OPEN;
    }

    /**
     * Syncs with the modem, detects the profile (unless overridden) and runs its init sequence. {@code ATE0}
     * is required (see {@link ModemProfile}); any other init command is optional: one the model answers as
     * not supported is learned and skipped from then on, one refused otherwise is logged and tried again at
     * the next initialisation. A timeout always fails the step: silence is not an answer.
     *
     * @throws AtCommandException the modem refused a required command (its own error in the message)
     * @throws AtException        no answer, or the channel closed
     */
    ModemProfile initialise(String profileOverride) throws AtException, InterruptedException {
        AtException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                channel.execute(AtCommand.of("AT", Duration.ofSeconds(2))).orThrow();
                last = null;
                break;
            } catch (AtCommandException e) {
                throw e; // an answer: the modem is there and refuses, a second try will not change it
            } catch (AtException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        channel.execute(AtCommand.of("ATE0")).orThrow();
        String ati = IdentityParsers.identification(channel.execute(AtCommand.of("ATI")));
        String cgmm = IdentityParsers.identification(channel.execute(AtCommand.of("AT+CGMM")));
        profile = ModemProfiles.select(ati + "\n" + cgmm, "auto".equals(profileOverride) ? null : profileOverride);
        model = profile.name() + " (" + cgmm.trim() + ")";
        for (AtCommand c : profile.initSequence()) {
            boolean required = REQUIRED_INIT.contains(c.line().toUpperCase(Locale.ROOT));
            if (!required && unsupported.skips(model, c)) {
                continue;
            }
            AtResponse r = channel.execute(c);
            if (r.isOk() || (!required && unsupported.learn(model, "init", r))) {
                continue;
            }
            if (required) {
                throw new AtCommandException(r);
            }
            LOG.warn("modem {}: init: {} refused: {}; optional for {}, carrying on without it until the next initialisation",
                    unsupported.modemId(), c.loggable(), StepFailure.modemSays(r.result()), SafeText.escape(model));
        }
        return profile;
    }

    /** The model as detected: profile name and the modem's own model text. */
    String model() {
        return model;
    }

    SimState simState() throws AtException, InterruptedException {
        return SimStateParser.parse(channel.execute(AtCommand.of("AT+CPIN?")));
    }

    void enterPin(Secret pin) throws AtException, InterruptedException {
        channel.execute(AtCommand.of("AT+CPIN=" + pin.reveal(), Duration.ofSeconds(10))).orThrow();
    }

    ModemIdentity identity(SimState sim) throws AtException, InterruptedException {
        String imei = IdentityParsers.imei(channel.execute(AtCommand.of("AT+CGSN")).orThrow());
        String imsi = "";
        String iccid = "";
        if (sim == SimState.READY) {
            imsi = IdentityParsers.imsi(channel.execute(AtCommand.of("AT+CIMI")).orThrow());
        }
        if (sim != SimState.ABSENT) {
            iccid = profile.iccid().run(channel);
        }
        return new ModemIdentity(imei, imsi, iccid,
                IdentityParsers.text(channel.execute(AtCommand.of("AT+CGMI")).orThrow()),
                IdentityParsers.text(channel.execute(AtCommand.of("AT+CGMM")).orThrow()),
                IdentityParsers.text(channel.execute(AtCommand.of("AT+CGMR")).orThrow()));
    }

    /** The best of CS, PS and EPS registration: a registered domain wins over an unregistered one. */
    Optional<NetworkRegistration> registration() throws AtException, InterruptedException {
        NetworkRegistration best = null;
        for (NetworkRegistration.Domain d : List.of(NetworkRegistration.Domain.EPS, NetworkRegistration.Domain.PS,
                NetworkRegistration.Domain.CS)) {
            AtCommand query = AtCommand.of("AT" + d.prefix().replace(":", "?"));
            if (unsupported.skips(model, query)) {
                continue;
            }
            AtResponse r = channel.execute(query);
            if (!r.isOk()) {
                unsupported.learn(model, "registration", r); // e.g. +CEREG on a 2G/3G-only modem
                continue;
            }
            NetworkRegistration reg = RegistrationParser.readResponse(r, d, profile.accessTechnologies());
            if (best == null || (!best.status().isRegistered() && reg.status().isRegistered())) {
                best = reg;
            }
        }
        return Optional.ofNullable(best);
    }

    OperatorSelection operator() throws AtException, InterruptedException {
        AtCommand numeric = AtCommand.of("AT+COPS=3,2"); // numeric format: MCC+MNC; without it the name is shown
        if (!unsupported.skips(model, numeric)) {
            AtResponse r = channel.execute(numeric);
            if (!r.isOk() && !unsupported.learn(model, "registration", r)) {
                throw new AtCommandException(r);
            }
        }
        return OperatorParser.parse(channel.execute(AtCommand.of("AT+COPS?")).orThrow(), profile.accessTechnologies());
    }

    /** The vendor's richest signal query; plain {@code AT+CSQ} when the model does not support it. */
    SignalQuality signal() throws AtException, InterruptedException {
        for (ModemQuery<SignalQuality> q : List.of(profile.signal(), CSQ)) {
            if (unsupported.skips(model, q.command())) {
                continue;
            }
            AtResponse r = channel.execute(q.command());
            if (r.isOk()) {
                return q.parser().parse(r);
            }
            if (!unsupported.learn(model, "signal", r)) {
                throw new AtCommandException(r);
            }
        }
        return SignalQuality.unknown();
    }

    /** The data counters; empty when the profile has no query or the model does not support it. */
    Optional<DataCounters> counters() throws AtException, InterruptedException {
        var q = profile.dataCounterQuery();
        if (q.isEmpty() || unsupported.skips(model, q.get().command())) {
            return Optional.empty();
        }
        AtResponse r = channel.execute(q.get().command());
        if (!r.isOk()) {
            unsupported.learn(model, "data counters", r);
            throw new AtCommandException(r);
        }
        return Optional.of(q.get().parser().parse(r));
    }

    void setRats(List<Rat> order) throws AtException, InterruptedException {
        for (AtCommand c : profile.ratSelection(order)) {
            channel.execute(c.withTimeout(RADIO_TIMEOUT)).orThrow();
        }
    }

    void selectOperator(String plmn) throws AtException, InterruptedException {
        String cmd = plmn == null ? "AT+COPS=0" : "AT+COPS=1,2,\"" + plmn + "\"";
        channel.execute(AtCommand.of(cmd, AtCommand.NETWORK_SCAN_TIMEOUT)).orThrow();
    }

    /** @throws UnsupportedCapabilityException also when the model answered the command as not supported before */
    void setDns(int cid, String primary, String secondary) throws AtException, InterruptedException {
        for (AtCommand c : profile.dnsConfiguration(cid, primary, secondary)) {
            if (unsupported.skips(model, c)) {
                throw new UnsupportedCapabilityException(profile.name(), "DNS server configuration: " + model
                        + " answered " + c.loggable() + " as not supported");
            }
            AtResponse r = channel.execute(c);
            if (!r.isOk()) {
                unsupported.learn(model, "DNS configuration", r);
                throw new AtCommandException(r);
            }
        }
    }

    /**
     * Defines the PDP context, sets its credentials in the profile's {@code AT+CGAUTH} parameter order (27.007
     * §10.1.31 user then password; SIMCom password then user) and activates it; returns its address.
     */
    String activate(ModemSettings s) throws AtException, InterruptedException {
        channel.execute(AtCommand.of("AT+CGDCONT=" + s.cid() + ",\"" + s.pdpType() + "\",\"" + s.apn() + "\"")).orThrow();
        if (!"none".equals(s.auth())) {
            AuthProtocol protocol = "pap".equals(s.auth()) ? AuthProtocol.PAP : AuthProtocol.CHAP;
            String password = s.apnPassword().map(Secret::reveal).orElse("");
            channel.execute(profile.authentication(s.cid(), protocol, s.apnUser(), password)).orThrow();
        }
        channel.execute(AtCommand.of("AT+CGACT=1," + s.cid(), ACTIVATION_TIMEOUT)).orThrow();
        return address(s.cid()).orElse("");
    }

    Optional<String> address(int cid) throws AtException, InterruptedException {
        AtResponse r = channel.execute(AtCommand.of("AT+CGPADDR=" + cid));
        if (!r.isOk()) {
            return Optional.empty();
        }
        return PdpParsers.addresses(r).stream().filter(a -> a.cid() == cid).map(PdpAddress::addresses)
                .filter(l -> !l.isEmpty()).map(l -> l.get(0)).findFirst();
    }

    /** Whether the context is active according to {@code AT+CGACT?}. */
    boolean active(int cid) throws AtException, InterruptedException {
        for (String line : channel.execute(AtCommand.of("AT+CGACT?")).orThrow().payloads("+CGACT:")) {
            String[] f = line.split(",");
            if (f.length >= 2 && f[0].trim().equals(String.valueOf(cid))) {
                return f[1].trim().equals("1");
            }
        }
        return false;
    }

    void deactivate(int cid) throws AtException, InterruptedException {
        channel.execute(AtCommand.of("AT+CGACT=0," + cid, Duration.ofSeconds(40))).orThrow();
    }

    void radio(boolean on) throws AtException, InterruptedException {
        channel.execute(AtCommand.of("AT+CFUN=" + (on ? 1 : 0), RADIO_TIMEOUT)).orThrow();
    }

    int sendSms(String number, String text) throws AtException, InterruptedException {
        return SmsParsers.messageReference(channel.execute(AtCommand.smsText(number, text)).orThrow());
    }

    List<SmsMessage> listSms() throws AtException, InterruptedException {
        return SmsParsers.list(channel.execute(AtCommand.of("AT+CMGL=\"ALL\"", Duration.ofSeconds(20))).orThrow());
    }

    SmsMessage readSms(int index) throws AtException, InterruptedException {
        return SmsParsers.read(channel.execute(AtCommand.of("AT+CMGR=" + index, Duration.ofSeconds(10))).orThrow());
    }

    void deleteSms(int index) throws AtException, InterruptedException {
        channel.execute(AtCommand.of("AT+CMGD=" + index, Duration.ofSeconds(10))).orThrow();
    }

    AtResponse raw(String command, Duration timeout) throws AtException, InterruptedException {
        return channel.execute(AtCommand.of(command, timeout));
    }

    /** Whether a failed activation means the network refused the APN or its credentials (27.007 §9.2.2, 24.008 causes). */
    static boolean apnRejected(AtException e) {
        if (!(e instanceof AtCommandException ce)) {
            return false;
        }
        return ce.error().map(err -> err.isCme(27) || err.isCme(29) || err.isCme(33) || err.isCme(132) || err.isCme(133)
                || err.isCme(149) || err.description().toLowerCase().contains("apn")
                || err.description().toLowerCase().contains("not subscribed")).orElse(false);
    }
}
