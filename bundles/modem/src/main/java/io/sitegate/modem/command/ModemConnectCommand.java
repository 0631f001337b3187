package io.sitegate.modem.command;

import io.sitegate.modem.Modems;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:modem-connect <id>}. */
@Command(scope = "sitegate", name = "modem-connect", description = "Brings a modem's data session up (also after 'APN rejected', once the configuration is fixed).",
        detailedDescription = "The session starts once the modem is registered and every policy gate allows it; "
                + "sitegate:modem-status shows why it does not.")
@Service
public class ModemConnectCommand implements Action {
    @Reference
    Modems modems;

    @Argument(index = 0, name = "id", description = "Modem id", required = true)
    @Completion(ModemIdCompleter.class)
    String id;

    @Override
    public Object execute() throws Exception {
        modems.require(id).connect();
        System.out.println("connecting " + id + "; see sitegate:modem-status " + id);
        return null;
    }
}
