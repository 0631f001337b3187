package io.sitegate.modem.command;

import io.sitegate.modem.Modems;
import io.sitegate.modem.SmsMessage;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code sitegate:modem-sms-list <id>}. */
@Command(scope = "sitegate", name = "modem-sms-list", description = "Lists the SMS stored on a modem's SIM or memory.")
@Service
public class ModemSmsListCommand implements Action {
    @Reference
    Modems modems;

    @Argument(index = 0, name = "id", description = "Modem id", required = true)
    @Completion(ModemIdCompleter.class)
    String id;

    @Override
    public Object execute() throws Exception {
        ShellTable table = new ShellTable();
        table.column("Index");
        table.column("Status");
        table.column("From/To");
        table.column("Time");
        table.column("Text").maxSize(80);
        table.emptyTableText("no messages");
        for (SmsMessage m : modems.require(id).listSms()) {
            table.addRow().addContent(m.index(), m.status(), ModemText.safe(m.address()), m.timestamp(),
                    ModemText.safe(m.text()));
        }
        table.print(System.out);
        return null;
    }
}
