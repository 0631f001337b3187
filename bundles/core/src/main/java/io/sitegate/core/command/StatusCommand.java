package io.sitegate.core.command;

import io.sitegate.core.GatewayStatus;
import io.sitegate.core.Health;
import io.sitegate.core.SafeText;
import io.sitegate.core.StatusSnapshot;
import io.sitegate.core.config.ConfigDrift;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigProblem;

import java.util.List;
import java.util.Map;

import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code sitegate:status}: the one screen a site technician looks at first. */
@Command(scope = "sitegate", name = "status",
        description = "Shows the gateway's version, uptime and the health of every capability.",
        detailedDescription = "Each capability (modem, cellular policy, DNS, tunnels, ...) reports UP, DEGRADED or DOWN "
                + "with a reason. 'Ready' means every Sitegate bundle and component runs and nothing is DOWN. "
                + "With --check the command fails unless the gateway is ready (for scripts and monitoring).")
@Service
public class StatusCommand implements Action {
    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Reference
    GatewayStatus status;

    @Reference(optional = true)
    ConfigLedger ledger;

    @Option(name = "--check", description = "Print READY or NOT READY and fail when not ready")
    boolean check;

    @Override
    public Object execute() {
        StatusSnapshot s = status.snapshot();
        PrintStream out = System.out;
        if (check) {
            if (!s.ready()) {
                throw new IllegalStateException("NOT READY: " + String.join("; ", reasons(s)));
            }
            out.println("READY");
            return null;
        }
        out.printf("Sitegate %s   gateway %s%s   up %s%n", s.version(), s.gatewayId(),
                s.site().isEmpty() ? "" : " (" + s.site() + ")", uptime(s.uptime()));
        out.println("Ready: " + (s.ready() ? "yes" : "NO")
                + (s.readyAfter().isPresent() ? " (first ready " + s.readyAfter().get().toMillis() / 1000.0 + " s after start)" : ""));
        s.notReady().forEach(p -> out.println("  ! " + p));
        out.println();
        ShellTable table = new ShellTable();
        table.column("Capability");
        table.column("Health");
        table.column("Since");
        table.column("Reason").maxSize(100).wrap(); // a long reason (a SIM binding, a tunnel probe) in full, on more lines
        for (Health h : s.health().values()) {
            table.addRow().addContent(h.capability(), h.state(), SINCE.format(h.since()), h.reason());
        }
        table.print(out);
        out.println();
        if (ledger != null) {
            Map<String, List<ConfigProblem>> refused = ledger.refusals();
            List<ConfigDrift> drift = ledger.drift();
            if (!refused.isEmpty() || !drift.isEmpty()) {
                out.println("Configuration:");
                refused.forEach((pid, problems) -> problems.forEach(p -> out.println("  refused (the previous stays in force): "
                        + SafeText.escape(p.message()))));
                drift.forEach(d -> out.println("  drift: " + SafeText.escape(d.toString())));
                out.println();
            }
        }
        out.println("Features: " + (s.features().isEmpty() ? "(features service unavailable)" : String.join(", ", s.features())));
        return null;
    }

    private static java.util.List<String> reasons(StatusSnapshot s) {
        java.util.List<String> all = new java.util.ArrayList<>(s.notReady());
        s.health().values().stream().filter(h -> h.state() == io.sitegate.core.HealthState.DOWN)
                .forEach(h -> all.add(h.capability() + " DOWN: " + h.reason()));
        return all;
    }

    static String uptime(Duration d) {
        long days = d.toDays();
        return (days > 0 ? days + "d " : "") + String.format("%02d:%02d:%02d", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
    }
}
