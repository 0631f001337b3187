package io.sitegate.cellular.internal;

import static io.sitegate.cellular.internal.Fixtures.ICCID_1;
import static io.sitegate.cellular.internal.Fixtures.ICCID_2;
import static io.sitegate.cellular.internal.Fixtures.ICCID_3;
import static io.sitegate.cellular.internal.Fixtures.IMEI_A;
import static io.sitegate.cellular.internal.Fixtures.IMEI_B;
import static io.sitegate.cellular.internal.Fixtures.IMEI_C;
import static io.sitegate.cellular.internal.Fixtures.IMSI;
import static io.sitegate.cellular.internal.Fixtures.identity;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.cellular.BindingChange;
import io.sitegate.cellular.BindingMode;
import io.sitegate.cellular.BindingPolicy;
import io.sitegate.cellular.BindingVerdict;
import io.sitegate.cellular.BindingVerdict.Outcome;
import io.sitegate.cellular.BoundPair;
import io.sitegate.cellular.LearnedBinding;
import io.sitegate.modem.ModemIdentity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ImeiBindingTest {
    private final MutableClock clock = MutableClock.at("2025-03-14T09:30:00Z");

    private static BindingPolicy auto() {
        return new BindingPolicy(BindingMode.AUTO, List.of(), Optional.empty());
    }

    private static BindingPolicy manual(BoundPair... pairs) {
        return new BindingPolicy(BindingMode.MANUAL, List.of(pairs), Optional.empty());
    }

    private ImeiBinding learnedAuto(String imei, String iccid) {
        return new ImeiBinding(clock, auto(),
                Optional.of(new LearnedBinding(imei, iccid, IMSI, Instant.parse("2025-01-01T00:00:00Z"))));
    }

    @Test
    void offAllowsAnythingEvenWithoutIdentity() {
        ImeiBinding b = new ImeiBinding(clock, BindingPolicy.off(), Optional.empty());
        assertThat(b.check(Optional.empty()).outcome()).isEqualTo(Outcome.NOT_ENFORCED);
        assertThat(b.check(Optional.empty()).allowed()).isTrue();
        assertThat(b.learn(identity(IMEI_A, ICCID_1))).isEmpty();
    }

    @Test
    void autoAllowsTheFirstSessionThenLearnsItsPairOnce() {
        ImeiBinding b = new ImeiBinding(clock, auto(), Optional.empty());
        BindingVerdict before = b.check(identity(IMEI_A, ICCID_1));
        assertThat(before.outcome()).isEqualTo(Outcome.NOT_YET_LEARNED);
        assertThat(before.allowed()).isTrue();
        assertThat(before.reason()).contains("will be bound on the first data session");

        Optional<BindingChange> change = b.learn(identity(IMEI_A, ICCID_1 + "F"));
        assertThat(change).hasValueSatisfying(c -> {
            assertThat(c.action()).isEqualTo(BindingChange.Action.LEARNED);
            assertThat(c.by()).isEqualTo("auto");
            assertThat(c.at()).isEqualTo(clock.instant());
            assertThat(c.binding()).contains(new LearnedBinding(IMEI_A, ICCID_1, IMSI, clock.instant()));
        });
        assertThat(b.learn(identity(IMEI_B, ICCID_2))).as("learns once").isEmpty();
        assertThat(b.check(identity(IMEI_A, ICCID_1)).outcome()).isEqualTo(Outcome.BOUND);
        assertThat(b.check(identity(IMEI_A, ICCID_1 + "f")).outcome()).as("filler F is the same SIM").isEqualTo(Outcome.BOUND);
    }

    @Test
    void autoDoesNotLearnAnUnreadableIdentity() {
        ImeiBinding b = new ImeiBinding(clock, auto(), Optional.empty());
        assertThat(b.learn(identity("", ICCID_1))).isEmpty();
        assertThat(b.learn(identity(IMEI_A, ""))).isEmpty();
        assertThat(b.learn(Optional.empty())).isEmpty();
        assertThat(b.learned()).isEmpty();
    }

    @Test
    void theBoundSimInAnotherModemIsRefused() {
        BindingVerdict v = learnedAuto(IMEI_A, ICCID_1).check(identity(IMEI_B, ICCID_1));
        assertThat(v.allowed()).isFalse();
        assertThat(v.violation()).isTrue();
        assertThat(v.outcome()).isEqualTo(Outcome.SIM_BOUND_ELSEWHERE);
        assertThat(v.reason()).isEqualTo("SIM " + ICCID_1 + " is bound to IMEI " + IMEI_A + ", this modem is " + IMEI_B);
        assertThat(v.expected()).contains(new BoundPair(IMEI_A, ICCID_1));
        assertThat(v.seenImei()).isEqualTo(IMEI_B);
        assertThat(v.seenIccid()).isEqualTo(ICCID_1);
    }

    @Test
    void anotherSimInThisModemIsRefused() {
        BindingVerdict v = learnedAuto(IMEI_A, ICCID_1).check(identity(IMEI_A, ICCID_2));
        assertThat(v.outcome()).isEqualTo(Outcome.SIM_NOT_BOUND);
        assertThat(v.reason()).isEqualTo("this modem (IMEI " + IMEI_A + ") is bound to SIM " + ICCID_1
                + ", but SIM " + ICCID_2 + " is inserted");
        assertThat(v.expected()).contains(new BoundPair(IMEI_A, ICCID_1));
    }

    @Test
    void aWholeStrangePairIsRefused() {
        BindingVerdict v = learnedAuto(IMEI_A, ICCID_1).check(identity(IMEI_B, ICCID_2));
        assertThat(v.outcome()).isEqualTo(Outcome.SIM_NOT_BOUND);
        assertThat(v.reason()).contains("neither SIM " + ICCID_2).contains("SIM " + ICCID_1 + " with IMEI " + IMEI_A);
    }

    @Test
    void failsClosedWhenTheIdentityCannotBeRead() {
        for (ImeiBinding b : List.of(new ImeiBinding(clock, auto(), Optional.empty()), learnedAuto(IMEI_A, ICCID_1),
                new ImeiBinding(clock, manual(new BoundPair(IMEI_A, ICCID_1)), Optional.empty()))) {
            assertThat(b.check(Optional.empty()).outcome()).isEqualTo(Outcome.IDENTITY_UNREADABLE);
            assertThat(b.check(Optional.empty()).reason()).contains("identity has not been read");
            BindingVerdict noImei = b.check(identity("", ICCID_1));
            assertThat(noImei.allowed()).isFalse();
            assertThat(noImei.reason()).startsWith("the modem's IMEI cannot be read")
                    .contains("binding allows no data session without both");
            BindingVerdict noSim = b.check(identity(IMEI_A, ""));
            assertThat(noSim.outcome()).isEqualTo(Outcome.IDENTITY_UNREADABLE);
            assertThat(noSim.reason()).startsWith("the SIM's ICCID cannot be read (no SIM, or SIM not ready)");
            assertThat(b.check(identity("867962040000014", ICCID_1)).reason())
                    .startsWith("the modem reports an invalid IMEI '867962040000014'");
            assertThat(b.check(identity(IMEI_A, "ERROR")).reason()).startsWith("the SIM reports an invalid ICCID 'ERROR'");
            assertThat(b.check(Optional.of(new ModemIdentity(null, null, null, "", "", ""))).allowed()).isFalse();
        }
    }

    @Test
    void manualAcceptsOnlyListedPairsInBothDirections() {
        ImeiBinding b = new ImeiBinding(clock, manual(new BoundPair(IMEI_A, ICCID_1), new BoundPair(IMEI_A, ICCID_3),
                new BoundPair(IMEI_B, ICCID_2)), Optional.empty());
        assertThat(b.check(identity(IMEI_A, ICCID_1)).outcome()).isEqualTo(Outcome.BOUND);
        assertThat(b.check(identity(IMEI_A, ICCID_3 + "F")).outcome()).isEqualTo(Outcome.BOUND);
        assertThat(b.check(identity(IMEI_B, ICCID_2)).outcome()).isEqualTo(Outcome.BOUND);

        BindingVerdict moved = b.check(identity(IMEI_B, ICCID_1));
        assertThat(moved.outcome()).isEqualTo(Outcome.SIM_BOUND_ELSEWHERE);
        assertThat(moved.reason()).isEqualTo("SIM " + ICCID_1 + " is bound to IMEI " + IMEI_A + ", this modem is " + IMEI_B);

        BindingVerdict foreignSim = b.check(identity(IMEI_A, "89000000000000000001"));
        assertThat(foreignSim.outcome()).isEqualTo(Outcome.SIM_NOT_BOUND);
        assertThat(foreignSim.reason()).isEqualTo("this modem (IMEI " + IMEI_A + ") accepts only SIM " + ICCID_1 + ", "
                + ICCID_3 + ", but SIM 89000000000000000001 is inserted");

        BindingVerdict stranger = b.check(identity(IMEI_C, "89000000000000000001"));
        assertThat(stranger.outcome()).isEqualTo(Outcome.SIM_NOT_BOUND);
        assertThat(stranger.expected()).isEmpty();
        assertThat(stranger.reason()).contains("is not in the binding list, and neither is the modem");
    }

    @Test
    void manualNeverLearns() {
        ImeiBinding b = new ImeiBinding(clock, manual(new BoundPair(IMEI_A, ICCID_1)), Optional.empty());
        assertThat(b.learn(identity(IMEI_A, ICCID_1))).isEmpty();
        assertThat(b.learned()).isEmpty();
    }

    @Test
    void resetClearsTheLearnedPairAndTheNextSessionLearnsAgain() {
        ImeiBinding b = learnedAuto(IMEI_A, ICCID_1);
        assertThat(b.check(identity(IMEI_B, ICCID_1)).allowed()).isFalse();
        clock.set("2025-03-20T12:00:00Z");

        Optional<BindingChange> reset = b.reset("karaf");
        assertThat(reset).hasValueSatisfying(c -> {
            assertThat(c.action()).isEqualTo(BindingChange.Action.RESET);
            assertThat(c.by()).isEqualTo("karaf");
            assertThat(c.at()).isEqualTo(Instant.parse("2025-03-20T12:00:00Z"));
            assertThat(c.binding()).hasValueSatisfying(l -> assertThat(l.pair()).isEqualTo(new BoundPair(IMEI_A, ICCID_1)));
        });
        assertThat(b.reset("karaf")).as("nothing left to reset").isEmpty();
        assertThat(b.check(identity(IMEI_B, ICCID_1)).outcome()).isEqualTo(Outcome.NOT_YET_LEARNED);
        assertThat(b.learn(identity(IMEI_B, ICCID_1))).isPresent();
        assertThat(b.check(identity(IMEI_A, ICCID_1)).outcome()).isEqualTo(Outcome.SIM_BOUND_ELSEWHERE);
    }

    @Test
    void anUnreadableLearnedBindingFailsClosedUntilReset() {
        ImeiBinding b = ImeiBinding.withUnreadableState(clock, auto(), "cellular binding document: field 'imei' is missing");
        BindingVerdict v = b.check(identity(IMEI_A, ICCID_1));
        assertThat(v.outcome()).isEqualTo(Outcome.BINDING_UNREADABLE);
        assertThat(v.reason()).contains("field 'imei' is missing").contains("resets the binding");
        assertThat(b.learn(identity(IMEI_A, ICCID_1))).as("never relearns silently").isEmpty();

        assertThat(b.reset("karaf")).hasValueSatisfying(c -> assertThat(c.binding()).isEmpty());
        assertThat(b.unreadableState()).isEmpty();
        assertThat(b.check(identity(IMEI_A, ICCID_1)).outcome()).isEqualTo(Outcome.NOT_YET_LEARNED);
    }

    @Test
    void anUnreadableLearnedBindingDoesNotMatterUnderManualOrOff() {
        ImeiBinding b = ImeiBinding.withUnreadableState(clock, manual(new BoundPair(IMEI_A, ICCID_1)), "torn");
        assertThat(b.check(identity(IMEI_A, ICCID_1)).outcome()).isEqualTo(Outcome.BOUND);
        b.updatePolicy(BindingPolicy.off());
        assertThat(b.check(identity(IMEI_B, ICCID_2)).allowed()).isTrue();
    }

    @Test
    void switchingAutoOffAndOnAgainKeepsTheLearnedPair() {
        ImeiBinding b = learnedAuto(IMEI_A, ICCID_1);
        b.updatePolicy(BindingPolicy.off());
        assertThat(b.check(identity(IMEI_B, ICCID_2)).allowed()).isTrue();
        assertThat(b.learn(identity(IMEI_B, ICCID_2))).isEmpty();
        b.updatePolicy(auto());
        assertThat(b.check(identity(IMEI_B, ICCID_1)).outcome()).isEqualTo(Outcome.SIM_BOUND_ELSEWHERE);
    }
}
