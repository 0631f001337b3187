package io.sitegate.modem;

import java.util.List;
import java.util.Optional;

/** Every configured modem, by id. */
public interface Modems {

    /** All modems, ordered by id. */
    List<Modem> all();

    /** The modem with that id. */
    Optional<Modem> byId(String id);

    /** The modem with that id, or an exception naming the known ids. */
    default Modem require(String id) throws ModemException {
        return byId(id).orElseThrow(() -> new ModemException("no modem '" + id + "' (configured: "
                + String.join(", ", all().stream().map(Modem::id).toList()) + ")"));
    }
}
