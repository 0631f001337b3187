package io.sitegate.policy.command;

import io.sitegate.policy.internal.agent.PolicyAgent;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code sitegate:policy-rollback} (admin): puts the policy before the one in force back, through the same journaled
 * rollback as a failed policy. The high-water mark stays: the cloud must publish a newer version to move on.
 */
@Command(scope = "sitegate", name = "policy-rollback", description = "Rolls the policy in force back to the one before it (admin). The cloud must publish a newer version to move on.")
@Service
public class PolicyRollbackCommand implements Action {
    @Reference(optional = true)
    PolicyAgent agent;

    @Override
    public Object execute() throws Exception {
        String who = io.sitegate.core.Operators.current();
        var r = Agents.require(agent).rollback(who);
        System.out.println("Policy version " + r.version() + ": " + r.outcome().name().toLowerCase() + ", " + r.reason());
        return null;
    }
}
