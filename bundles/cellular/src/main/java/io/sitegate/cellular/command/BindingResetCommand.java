package io.sitegate.cellular.command;

import io.sitegate.cellular.BindingChange;
import io.sitegate.cellular.CellularEnforcement;
import io.sitegate.cellular.ModemPolicyStatus;

import java.util.Locale;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.ShellUtil;

/** {@code sitegate:binding-reset <modem> [--force]}. */
@Command(scope = "sitegate", name = "binding-reset",
        description = "Clears the learned SIM/modem binding of a modem: its next data session binds the SIM and modem then present (auto mode).",
        detailedDescription = "Use it after a deliberate SIM or modem swap. It asks for confirmation unless --force is given, "
                + "and raises a 'binding changed' event naming you. In manual mode the pairs come from the configuration: edit them there. "
                + "Options go before the modem id: sitegate:binding-reset --force wan0")
@Service
public class BindingResetCommand implements Action {
    @Reference
    CellularEnforcement enforcement;

    @Reference
    Session session;

    @Argument(index = 0, name = "modem", description = "Modem id", required = true)
    @Completion(CellularModemCompleter.class)
    String modem;

    @Option(name = "--force", aliases = "-f", description = "Do not ask for confirmation")
    boolean force;

    @Override
    public Object execute() throws Exception {
        Optional<ModemPolicyStatus> status = enforcement.modem(modem);
        if (status.isEmpty()) {
            throw new IllegalArgumentException("no modem '" + modem + "'");
        }
        String bound = status.get().learned().map(l -> "SIM " + l.iccid() + " with IMEI " + l.imei())
                .orElse(status.get().bindingProblem().isPresent() ? "an unreadable binding" : "nothing");
        if (!force) {
            String answer;
            try {
                answer = session.readLine("Reset the binding of " + modem + " (" + bound
                        + ")? Its next data session binds again. [y/N] ", null);
            } catch (UnsupportedOperationException e) {
                throw new IllegalStateException("cannot ask for confirmation without a terminal: add --force "
                        + "(sitegate:binding-reset --force " + modem + ")");
            }
            if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).matches("y|yes")) {
                System.out.println("Not reset.");
                return null;
            }
        }
        String user = ShellUtil.getCurrentUserName();
        Optional<BindingChange> change = enforcement.resetBinding(modem, "shell " + (user == null ? "(unknown user)" : user));
        System.out.println(change.isPresent() ? "Binding of " + modem + " reset; the next data session binds again."
                : "Nothing was bound on " + modem + ".");
        return null;
    }
}
