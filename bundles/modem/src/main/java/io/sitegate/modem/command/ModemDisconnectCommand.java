package io.sitegate.modem.command;

import io.sitegate.modem.Modems;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:modem-disconnect <id>}. */
@Command(scope = "sitegate", name = "modem-disconnect", description = "Takes a modem's data session down and keeps it down until modem-connect. SMS keeps working.")
@Service
public class ModemDisconnectCommand implements Action {
    @Reference
    Modems modems;

    @Argument(index = 0, name = "id", description = "Modem id", required = true)
    @Completion(ModemIdCompleter.class)
    String id;

    @Override
    public Object execute() throws Exception {
        modems.require(id).disconnect();
        System.out.println("disconnecting " + id);
        return null;
    }
}
