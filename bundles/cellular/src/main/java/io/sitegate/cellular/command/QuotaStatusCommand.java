package io.sitegate.cellular.command;

import io.sitegate.cellular.CellularEnforcement;
import io.sitegate.cellular.DataSize;
import io.sitegate.cellular.ModemPolicyStatus;
import io.sitegate.cellular.QuotaOverride;
import io.sitegate.cellular.QuotaStatus;
import io.sitegate.cellular.QuotaUsage;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code sitegate:quota-status [modem]}. */
@Command(scope = "sitegate", name = "quota-status",
        description = "Shows the monthly data and SMS quotas of each modem: used, limit and a bar, the billing cycle and any override.",
        detailedDescription = "Data is counted from the modem's own counters (bytes up + down), SMS from what the gateway sent and "
                + "received. At a limit the policy blocks the data session, raises a throttle hint, or only notifies; "
                + "sitegate:quota-override lets data through until the cycle ends.")
@Service
public class QuotaStatusCommand implements Action {
    @Reference
    CellularEnforcement enforcement;

    @Argument(index = 0, name = "modem", description = "Only this modem (default: all)")
    @Completion(CellularModemCompleter.class)
    String modem;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        List<ModemPolicyStatus> shown = enforcement.modems().stream().filter(m -> modem == null || m.modem().equals(modem)).toList();
        if (shown.isEmpty()) {
            out.println(modem == null ? "No modem." : "No modem '" + modem + "'.");
            return null;
        }
        for (ModemPolicyStatus m : shown) {
            QuotaStatus q = m.quota();
            out.printf("Modem %s   cycle %s .. %s   at a limit: %s%n", m.modem(), CellularText.when(q.cycle().start().toInstant()),
                    CellularText.when(q.cycle().end().toInstant()), q.action().configName());
            ShellTable table = new ShellTable();
            table.column("Quota");
            table.column("Used").alignRight();
            table.column("Limit").alignRight();
            table.column("Usage");
            table.column("Warned at");
            for (QuotaUsage u : q.all()) {
                table.addRow().addContent(u.kind().label(), CellularText.amount(u.kind(), u.used()),
                        u.unlimited() ? "-" : CellularText.amount(u.kind(), u.limit()), CellularText.bar(u),
                        u.warned().isEmpty() ? "-" : String.join(", ", u.warned().stream().map(p -> p + " %").toList()));
            }
            table.print(out);
            q.override().ifPresent(o -> out.println("  Override: " + describe(o)));
            if (!q.countersAvailable()) {
                out.println("  ! the modem reports no data counters: data is neither counted nor enforced");
            }
            q.problem().ifPresent(p -> out.println("  ! " + p));
            if (!m.decision().allowed() && m.decision().gate().startsWith("quota")) {
                out.println("  ! data refused: " + m.decision().reason());
            }
            out.println();
        }
        CellularText.printEvents(out, enforcement.recentEvents(), 5, "QUOTA_THRESHOLD", "QUOTA_OVERRIDE", "QUOTA_CYCLE");
        return null;
    }

    static String describe(QuotaOverride o) {
        return (o.wholeCycle() ? "no quota blocks" : "data limit raised by " + DataSize.format(o.extraBytes().getAsLong()))
                + " until " + CellularText.when(o.expires()) + ", granted by " + o.grantedBy() + " at " + CellularText.when(o.granted());
    }
}
