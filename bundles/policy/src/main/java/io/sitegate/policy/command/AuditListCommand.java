package io.sitegate.policy.command;

import io.sitegate.policy.internal.agent.PolicyAgent;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:audit-list}. */
@Command(scope = "sitegate", name = "audit-list", description = "Shows the latest entries of the hash-chained audit trail.")
@Service
public class AuditListCommand implements Action {
    @Reference(optional = true)
    PolicyAgent agent;

    @Option(name = "-n", description = "How many entries (default 20, at most 1000)")
    int count = 20;

    @Override
    public Object execute() throws Exception {
        if (count < 1 || count > 1000) {
            throw new IllegalArgumentException("-n must be 1 to 1000");
        }
        for (var e : Agents.require(agent).audit(count)) {
            var ev = e.event();
            System.out.println(e.seq() + "  " + e.time() + "  " + ev.type() + "  v" + ev.version() + "  " + ev.target() + "  "
                    + ev.outcome() + (ev.reason().isEmpty() ? "" : "  " + ev.reason()));
        }
        return null;
    }
}
