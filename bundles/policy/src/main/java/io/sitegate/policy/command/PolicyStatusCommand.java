package io.sitegate.policy.command;

import io.sitegate.policy.internal.agent.PolicyAgent;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:policy-status}. */
@Command(scope = "sitegate", name = "policy-status", description = "Shows the policy in force, the last result and any confirm window pending.")
@Service
public class PolicyStatusCommand implements Action {
    @Reference(optional = true)
    PolicyAgent agent;

    @Override
    public Object execute() throws Exception {
        PolicyAgent a = Agents.require(agent);
        var j = a.journal();
        System.out.println("Gateway:    " + a.gateway() + (a.groups().isEmpty() ? "" : ", groups " + String.join(", ", a.groups())));
        System.out.println("In force:   version " + PolicyAgent.inForce(j) + " (journal " + j.phase() + ", last version seen " + j.version()
                + (j.target() == null || j.target().isEmpty() ? "" : " for " + j.target()) + ")");
        // where the sections in force come from: the gateway's own policy over its groups', section by section
        var sources = new java.util.ArrayList<String>();
        j.layers().forEach((target, candidate) -> {
            try {
                var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(candidate);
                var names = new java.util.ArrayList<String>();
                n.path("sections").fieldNames().forEachRemaining(names::add);
                sources.add(target + " v" + n.path("version").asLong() + " (" + (names.isEmpty() ? "no sections" : String.join(", ", names)) + ")");
            } catch (Exception e) {
                sources.add(target + " (unreadable)");
            }
        });
        System.out.println("Sources:    " + (sources.isEmpty() ? "none: the local configuration" : String.join("; ", sources)));
        System.out.println("Pending:    " + (a.confirming() ? "a new policy is in its confirm window" : "none"));
        System.out.println("Last:       " + a.lastResult());
        return null;
    }
}
