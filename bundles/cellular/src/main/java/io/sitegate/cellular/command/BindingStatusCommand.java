package io.sitegate.cellular.command;

import io.sitegate.cellular.BindingPolicy;
import io.sitegate.cellular.BindingVerdict;
import io.sitegate.cellular.BoundPair;
import io.sitegate.cellular.CellularEnforcement;
import io.sitegate.cellular.CellularPolicyService;
import io.sitegate.cellular.LearnedBinding;
import io.sitegate.cellular.ModemPolicyStatus;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code sitegate:binding-status [modem]}. */
@Command(scope = "sitegate", name = "binding-status",
        description = "Shows the SIM/modem binding (IMEI lock): the mode, the bound pair of each modem, what the modem reports and whether data is allowed.",
        detailedDescription = "Modes: off (no binding), auto (the first SIM/modem pair that opens a data session is learned, then enforced) "
                + "and manual (only the configured IMEI:ICCID pairs). A modem whose SIM or IMEI does not match gets no data session; "
                + "SMS and the shell keep working. sitegate:binding-reset clears a learned pair.")
@Service
public class BindingStatusCommand implements Action {
    @Reference
    CellularEnforcement enforcement;

    @Reference
    CellularPolicyService policies;

    @Argument(index = 0, name = "modem", description = "Only this modem (default: all)")
    @Completion(CellularModemCompleter.class)
    String modem;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        BindingPolicy b = policies.current().binding();
        out.println("Binding mode: " + b.mode().configName()
                + (b.alertNumber().isPresent() ? "   alert SMS to " + b.alertNumber().get() : "   no alert SMS"));
        if (!b.pairs().isEmpty()) {
            out.println("Bound pairs (IMEI:ICCID): " + String.join(", ", b.pairs().stream().map(BoundPair::toString).toList()));
        }
        List<ModemPolicyStatus> shown = enforcement.modems().stream().filter(m -> modem == null || m.modem().equals(modem)).toList();
        if (shown.isEmpty()) {
            out.println(modem == null ? "No modem." : "No modem '" + modem + "'.");
            return null;
        }
        out.println();
        ShellTable table = new ShellTable();
        table.column("Modem");
        table.column("Verdict");
        table.column("Bound IMEI");
        table.column("Bound ICCID");
        table.column("Seen IMEI");
        table.column("Seen ICCID");
        table.column("Learned");
        table.column("Reason").maxSize(90);
        for (ModemPolicyStatus m : shown) {
            BindingVerdict v = m.binding().orElse(null);
            Optional<BoundPair> pair = m.learned().map(LearnedBinding::pair).or(() -> m.binding().flatMap(BindingVerdict::expected));
            String reason = m.bindingProblem().orElse(v == null ? "not checked yet" : v.reason());
            table.addRow().addContent(m.modem(), v == null ? "-" : v.outcome(), pair.map(BoundPair::imei).orElse("-"),
                    pair.map(BoundPair::iccid).orElse("-"), v == null ? "-" : CellularText.orDash(v.seenImei()),
                    v == null ? "-" : CellularText.orDash(v.seenIccid()),
                    m.learned().map(l -> CellularText.when(l.learnedAt())).orElse("-"), CellularText.orDash(reason));
        }
        table.print(out);
        CellularText.printEvents(out, enforcement.recentEvents(), 5, "BINDING_VIOLATED", "BINDING_CHANGED");
        return null;
    }
}
