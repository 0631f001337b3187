package io.sitegate.modem.command;

import io.sitegate.modem.Modems;
import io.sitegate.modem.internal.service.ModemSettings;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:modem-rat <id> <order>}. */
@Command(scope = "sitegate", name = "modem-rat", description = "Sets the radio access technologies a modem may use, in order of preference.",
        detailedDescription = "Order as a comma list of gsm, umts, lte, lte-m, nb-iot (also 2g, 3g, 4g, cat-m, nbiot), "
                + "e.g. 'lte,umts'. A RAT the modem cannot do is refused with an error. This change lasts until the modem's "
                + "configuration is applied again; for a permanent change set 'ratOrder' in its configuration.")
@Service
public class ModemRatCommand implements Action {
    @Reference
    Modems modems;

    @Argument(index = 0, name = "id", description = "Modem id", required = true)
    @Completion(ModemIdCompleter.class)
    String id;

    @Argument(index = 1, name = "order", description = "e.g. lte,umts,gsm", required = true)
    String order;

    @Override
    public Object execute() throws Exception {
        var rats = ModemSettings.parseRats(order);
        if (rats.isEmpty()) {
            throw new IllegalArgumentException("name at least one RAT");
        }
        modems.require(id).setRatOrder(rats);
        System.out.println(id + ": RAT order " + rats);
        return null;
    }
}
