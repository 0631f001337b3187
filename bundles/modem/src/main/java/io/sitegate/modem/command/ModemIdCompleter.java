package io.sitegate.modem.command;

import io.sitegate.modem.Modem;
import io.sitegate.modem.Modems;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes configured modem ids. */
@Service
public class ModemIdCompleter implements Completer {
    @Reference
    Modems modems;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        for (Modem m : modems.all()) {
            ids.getStrings().add(m.id());
        }
        return ids.complete(session, commandLine, candidates);
    }
}
