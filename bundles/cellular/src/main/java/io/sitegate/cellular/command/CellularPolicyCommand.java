package io.sitegate.cellular.command;

import io.sitegate.cellular.BoundPair;
import io.sitegate.cellular.CellularPolicy;
import io.sitegate.cellular.CellularPolicyService;
import io.sitegate.cellular.DataSize;
import io.sitegate.cellular.QuotaPolicy;
import io.sitegate.modem.Rat;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:cellular-policy}. */
@Command(scope = "sitegate", name = "cellular-policy",
        description = "Shows the cellular policy in force (binding, radio, networks, DNS, quotas), where it came from, and a refused configuration.",
        detailedDescription = "The policy comes from etc/io.sitegate.cellular.cfg or from a signed policy. A configuration that does not "
                + "validate is refused with the property and value named, and the previous policy stays in force; it is shown here until fixed.")
@Service
public class CellularPolicyCommand implements Action {
    @Reference
    CellularPolicyService policies;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        CellularPolicy p = policies.current();
        out.println("Source:    " + p.source() + "   (in force since " + CellularText.when(policies.since()) + ")");
        policies.refusal().ifPresent(r -> out.println("  ! REFUSED " + r));
        out.println();
        out.println("Binding:   " + p.binding().mode().configName()
                + (p.binding().pairs().isEmpty() ? "" : "   pairs " + String.join(", ", p.binding().pairs().stream().map(BoundPair::toString).toList()))
                + "   alert SMS " + p.binding().alertNumber().orElse("-"));
        out.println("RAT order: " + (p.network().ratOrder().isEmpty() ? "- (modem setting)" : rats(p.network().ratOrder())));
        out.println("Networks:  " + (p.network().allowedPlmns().isEmpty() ? "any" : String.join(", ", p.network().allowedPlmns()))
                + "   pinned " + p.network().pinnedPlmn().orElse("- (automatic selection)"));
        out.println("DNS:       " + (p.dns().custom() ? p.dns().primary().get() + p.dns().secondary().map(s -> ", " + s).orElse("")
                : "- (the network's)"));
        QuotaPolicy q = p.quota();
        out.println("Quota:     data " + (q.dataLimitBytes() == 0 ? "unlimited" : DataSize.format(q.dataLimitBytes()))
                + ", SMS sent " + limit(q.smsMoLimit()) + ", SMS received " + limit(q.smsMtLimit()));
        out.println("           cycle from day " + q.cycleStartDay() + " (" + q.zone() + "), at a limit: " + q.action().configName()
                + ", warnings at " + (q.thresholds().isEmpty() ? "none" : String.join(", ", q.thresholds().stream().map(t -> t + " %").toList()))
                + ", checked every " + q.checkInterval().toSeconds() + " s");
        return null;
    }

    private static String limit(long n) {
        return n == 0 ? "unlimited" : Long.toString(n);
    }

    private static String rats(List<Rat> order) {
        return String.join(", ", order.stream().map(r -> r.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
    }
}
