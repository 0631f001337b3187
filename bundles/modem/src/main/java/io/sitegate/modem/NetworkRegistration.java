package io.sitegate.modem;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One +CREG/+CGREG/+CEREG report, from a read response or an unsolicited code.
 *
 * @param domain which registration it describes
 * @param reportingMode the {@code <n>} setting (only in read responses)
 * @param status the {@code <stat>}
 * @param areaCode LAC (CS/PS) or TAC (EPS) as upper-case hex, when reported
 * @param cellId the cell identity, when reported
 * @param accessTechnology the {@code <AcT>}, when reported
 */
public record NetworkRegistration(Domain domain, OptionalInt reportingMode, RegistrationStatus status,
                                  Optional<String> areaCode, OptionalLong cellId,
                                  Optional<AccessTechnology> accessTechnology) {

    /** Circuit-switched (+CREG), packet-switched (+CGREG), EPS (+CEREG). */
    public enum Domain {
        /** +CREG */ CS("+CREG:"),
        /** +CGREG */ PS("+CGREG:"),
        /** +CEREG */ EPS("+CEREG:");

        private final String prefix;

        Domain(String prefix) {
            this.prefix = prefix;
        }

        /** The response/URC prefix. */
        public String prefix() {
            return prefix;
        }
    }
}
