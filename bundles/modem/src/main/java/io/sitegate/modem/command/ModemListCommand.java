package io.sitegate.modem.command;

import io.sitegate.modem.Modem;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.Modems;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code sitegate:modem-list}. */
@Command(scope = "sitegate", name = "modem-list", description = "Lists the configured cellular modems with link, network and data session.")
@Service
public class ModemListCommand implements Action {
    @Reference
    Modems modems;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Port");
        table.column("Profile");
        table.column("Link");
        table.column("Network");
        table.column("Signal");
        table.column("Session");
        table.emptyTableText("no modem configured (add etc/io.sitegate.modem-<id>.cfg)");
        for (Modem m : modems.all()) {
            ModemStatus s = m.status();
            table.addRow().addContent(s.id(), s.port(), s.profile(), s.link(), ModemText.network(s), ModemText.signal(s.signal()),
                    s.session() + (s.reason().isEmpty() ? "" : " (" + ModemText.safe(s.reason()) + ")"));
        }
        table.print(System.out);
        return null;
    }
}
