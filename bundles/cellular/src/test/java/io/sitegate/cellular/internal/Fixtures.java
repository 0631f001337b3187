package io.sitegate.cellular.internal;

import io.sitegate.modem.AccessTechnology;
import io.sitegate.modem.DataUsage;
import io.sitegate.modem.LinkState;
import io.sitegate.modem.ModemIdentity;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.NetworkRegistration;
import io.sitegate.modem.OperatorSelection;
import io.sitegate.modem.RegistrationStatus;
import io.sitegate.modem.SessionState;
import io.sitegate.modem.SignalQuality;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Identities and modem statuses for the tests. */
final class Fixtures {
    /** Luhn-valid IMEIs. */
    static final String IMEI_A = "867962040000013";
    static final String IMEI_B = "358240051111110";
    static final String IMEI_C = "490154203237518";
    static final String ICCID_1 = "89490200001234567890";
    static final String ICCID_2 = "89490200009876543210";
    static final String ICCID_3 = "8944500102198304826";
    static final String IMSI = "262011234567890";

    private Fixtures() {
    }

    static Optional<ModemIdentity> identity(String imei, String iccid) {
        return Optional.of(new ModemIdentity(imei, IMSI, iccid, "Quectel", "EC25", "EC25EFAR06A06M4G"));
    }

    /** A modem status builder with sensible defaults: registered at home on 26201, nothing used. */
    static Status status() {
        return new Status();
    }

    static final class Status {
        private Optional<ModemIdentity> identity = Fixtures.identity(IMEI_A, ICCID_1);
        private RegistrationStatus registration = RegistrationStatus.REGISTERED_HOME;
        private Optional<String> operator = Optional.of("26201");
        private int format = 2;
        private DataUsage usage = new DataUsage(0, 0, 0, 0, true);
        private long smsSent;
        private long smsReceived;
        private String id = "wan0";
        private LinkState link = LinkState.READY;
        private SessionState session = SessionState.DOWN;
        private Instant updated = Instant.EPOCH;

        Status identity(Optional<ModemIdentity> id) {
            identity = id;
            return this;
        }

        Status identity(String imei, String iccid) {
            return identity(Fixtures.identity(imei, iccid));
        }

        Status registration(RegistrationStatus r) {
            registration = r;
            return this;
        }

        Status plmn(String plmn) {
            operator = Optional.of(plmn);
            format = 2;
            return this;
        }

        Status operatorName(String name) {
            operator = Optional.of(name);
            format = 0;
            return this;
        }

        Status bytes(long sent, long received) {
            usage = new DataUsage(0, 0, sent, received, true);
            return this;
        }

        Status noCounters() {
            usage = DataUsage.none();
            return this;
        }

        Status sms(long sent, long received) {
            smsSent = sent;
            smsReceived = received;
            return this;
        }

        Status id(String modemId) {
            id = modemId;
            return this;
        }

        Status link(LinkState l) {
            link = l;
            return this;
        }

        Status session(SessionState s) {
            session = s;
            return this;
        }

        Status updated(Instant t) {
            updated = t;
            return this;
        }

        ModemStatus build() {
            NetworkRegistration reg = new NetworkRegistration(NetworkRegistration.Domain.EPS, OptionalInt.empty(),
                    registration, Optional.empty(), OptionalLong.empty(), Optional.of(AccessTechnology.E_UTRAN));
            OperatorSelection op = new OperatorSelection(0, OptionalInt.of(format), operator,
                    Optional.of(AccessTechnology.E_UTRAN));
            return new ModemStatus(id, "/dev/ttyUSB2", "quectel-ec25", link, identity, Optional.empty(),
                    Optional.of(reg), Optional.of(op), SignalQuality.unknown(), session, "", Optional.empty(),
                    usage, smsSent, smsReceived, updated);
        }
    }
}
