package io.sitegate.policy.command;

import io.sitegate.policy.PolicyVerificationException;
import io.sitegate.policy.internal.agent.PolicyAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:policy-check <file>}. */
@Command(scope = "sitegate", name = "policy-check", description = "Dry run of a signed policy file: verified as if it came from the cloud, then what it would change, section by section. Applies nothing.")
@Service
public class PolicyCheckCommand implements Action {
    @Reference(optional = true)
    PolicyAgent agent;

    @Argument(index = 0, name = "file", description = "A signed policy (JWS compact serialization)", required = true)
    String file;

    @Override
    public Object execute() throws Exception {
        PolicyAgent a = Agents.require(agent);
        byte[] bytes = Files.readAllBytes(Path.of(file));
        try {
            var check = a.check(bytes);
            System.out.println("Policy version " + check.version() + ":");
            check.changes().forEach((section, changes) -> {
                System.out.println("  " + section + ": " + (changes.isEmpty() ? "no change" : ""));
                changes.forEach(c -> System.out.println("    " + c));
            });
            check.problems().forEach(p -> System.out.println("  ! " + p));
            if (!check.acceptable()) {
                throw new IllegalStateException(check.problems().size() + " problem(s): the gateway would refuse it");
            }
        } catch (PolicyVerificationException e) {
            throw new IllegalStateException("refused: " + e.refusal());
        }
        return null;
    }
}
