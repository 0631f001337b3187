package io.sitegate.modem.command;

import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.Modems;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:modem-status <id>}: one screen, like {@code mmcli -m 0}. */
@Command(scope = "sitegate", name = "modem-status", description = "Shows one modem: hardware, SIM, network, signal, data session and counters.")
@Service
public class ModemStatusCommand implements Action {
    @Reference
    Modems modems;

    @Argument(index = 0, name = "id", description = "Modem id (see sitegate:modem-list)", required = true)
    @Completion(ModemIdCompleter.class)
    String id;

    @Override
    public Object execute() throws Exception {
        ModemStatus s = modems.require(id).status();
        PrintStream o = System.out;
        o.println("  -----------------------------");
        o.printf("  General   |   id: %s%n", s.id());
        o.printf("            | port: %s%n", ModemText.safe(s.port()));
        o.printf("            | link: %s%n", s.link());
        o.println("  -----------------------------");
        s.identity().ifPresentOrElse(i -> {
            o.printf("  Hardware  | manufacturer: %s%n", ModemText.safe(i.manufacturer()));
            o.printf("            |        model: %s%n", ModemText.safe(i.model()));
            o.printf("            |     firmware: %s%n", ModemText.safe(i.firmware()));
            o.printf("            |      profile: %s%n", s.profile());
            o.printf("            |         imei: %s%n", ModemText.safe(i.imei()));
            o.println("  -----------------------------");
            o.printf("  SIM       |  state: %s%n", s.sim().map(Enum::name).orElse("unknown"));
            o.printf("            |  iccid: %s%n", i.iccid().isEmpty() ? "-" : ModemText.safe(i.iccid()));
            o.printf("            |   imsi: %s%n", i.imsi().isEmpty() ? "-" : ModemText.safe(i.imsi()));
        }, () -> o.printf("  Hardware  | not read yet%n"));
        o.println("  -----------------------------");
        o.printf("  Network   | registration: %s%n", ModemText.network(s));
        s.registration().ifPresent(r -> {
            r.areaCode().ifPresent(a -> o.printf("            |      lac/tac: %s%n", ModemText.safe(a)));
            r.cellId().ifPresent(c -> o.printf("            |      cell id: %X%n", c));
        });
        o.printf("            |       signal: %s%n", ModemText.signal(s.signal()));
        o.println("  -----------------------------");
        o.printf("  Data      |  session: %s%s%n", s.session(), s.reason().isEmpty() ? "" : " (" + ModemText.safe(s.reason()) + ")");
        s.address().ifPresent(a -> o.printf("            |  address: %s%n", ModemText.safe(a)));
        o.printf("            |    usage: %s%n", ModemText.usage(s.usage()));
        o.printf("            |      sms: %d sent, %d received%n", s.smsSent(), s.smsReceived());
        return null;
    }
}
