package io.sitegate.cellular.command;

import io.sitegate.cellular.CellularEnforcement;
import io.sitegate.cellular.ModemPolicyStatus;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the ids of the modems the cellular policy is enforced on. */
@Service
public class CellularModemCompleter implements Completer {
    @Reference
    CellularEnforcement enforcement;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        for (ModemPolicyStatus m : enforcement.modems()) {
            ids.getStrings().add(m.modem());
        }
        return ids.complete(session, commandLine, candidates);
    }
}
