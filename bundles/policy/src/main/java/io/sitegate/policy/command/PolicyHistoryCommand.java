package io.sitegate.policy.command;

import io.sitegate.policy.internal.agent.PolicyAgent;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:policy-history}: the policies received, applied, refused and rolled back, from the audit trail. */
@Command(scope = "sitegate", name = "policy-history", description = "Shows the latest policies received, applied, refused and rolled back (from the audit trail), oldest first.")
@Service
public class PolicyHistoryCommand implements Action {
    @Reference(optional = true)
    PolicyAgent agent;

    @Option(name = "-n", description = "How many entries (default 20, at most 1000)")
    int count = 20;

    @Override
    public Object execute() throws Exception {
        if (count < 1 || count > 1000) {
            throw new IllegalArgumentException("-n must be 1 to 1000");
        }
        var entries = Agents.require(agent).policyHistory(count);
        if (entries.isEmpty()) {
            System.out.println("No policy received yet.");
        }
        System.out.printf("%-20s  %-20s  %8s  %-22s  %-12s  %s%n", "TIME", "EVENT", "VERSION", "TARGET", "OUTCOME", "REASON");
        for (var e : entries) {
            var ev = e.event();
            System.out.printf("%-20s  %-20s  %8d  %-22s  %-12s  %s%n", e.time().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    ev.type(), ev.version(), ev.target(), ev.outcome(), ev.reason());
        }
        return null;
    }
}
