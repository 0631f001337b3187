package io.sitegate.policy.command;

import io.sitegate.policy.internal.agent.PolicyAgent;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:audit-verify}. */
@Command(scope = "sitegate", name = "audit-verify", description = "Checks the audit trail's hash chain: any altered, removed or reordered entry shows.")
@Service
public class AuditVerifyCommand implements Action {
    @Reference(optional = true)
    PolicyAgent agent;

    @Override
    public Object execute() throws Exception {
        var v = Agents.require(agent).verifyAudit();
        System.out.println(v);
        if (!v.untampered()) {
            throw new IllegalStateException("the audit trail does not verify");
        }
        return null;
    }
}
