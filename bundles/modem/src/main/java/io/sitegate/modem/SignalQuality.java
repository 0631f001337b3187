package io.sitegate.modem;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Signal figures as far as the modem reports them; absent means "not known or not detectable".
 *
 * @param rat the serving RAT when the reply says it
 * @param rssiDbm received signal strength
 * @param rsrpDbm LTE reference signal received power
 * @param rsrqDb LTE reference signal received quality
 * @param sinrDb LTE signal to interference plus noise ratio
 */
public record SignalQuality(Optional<Rat> rat, OptionalInt rssiDbm, OptionalInt rsrpDbm,
                            OptionalDouble rsrqDb, OptionalDouble sinrDb) {

    /** Nothing known (no service). */
    public static SignalQuality unknown() {
        return new SignalQuality(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalDouble.empty(), OptionalDouble.empty());
    }
}
