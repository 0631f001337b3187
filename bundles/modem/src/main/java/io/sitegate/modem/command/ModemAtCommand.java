package io.sitegate.modem.command;

import io.sitegate.core.SafeText;
import io.sitegate.modem.AtCommand;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.Modems;

import java.time.Duration;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:modem-at <id> <command>}: raw AT, for technicians (admin only). */
@Command(scope = "sitegate", name = "modem-at", description = "Sends one raw AT command to a modem and prints the answer (admin only).",
        detailedDescription = "The command runs on the modem's serialised channel, between the gateway's own commands. "
                + "Quote it: sitegate:modem-at wan0 'AT+COPS?'. Changing the modem behind the gateway's back can confuse the "
                + "connection keeper; prefer the sitegate:modem-* commands.")
@Service
public class ModemAtCommand implements Action {
    @Reference
    Modems modems;

    @Argument(index = 0, name = "id", description = "Modem id", required = true)
    @Completion(ModemIdCompleter.class)
    String id;

    @Argument(index = 1, name = "command", description = "The AT command, e.g. 'AT+CSQ'", required = true)
    String command;

    @Option(name = "--timeout", description = "Seconds to wait for the final result (default 10)")
    int timeoutSeconds = 10;

    @Override
    public Object execute() throws Exception {
        if (timeoutSeconds < 1 || timeoutSeconds > 300) {
            throw new IllegalArgumentException("--timeout must be 1 to 300 seconds");
        }
        hideSecretsInThreadName();
        AtResponse r = modems.require(id).execute(command, Duration.ofSeconds(timeoutSeconds));
        // Replies can repeat credentials (+CGAUTH:, +QICSGP:) and carry terminal escapes from the network.
        r.lines().forEach(line -> System.out.println(SafeText.escape(AtCommand.mask(line))));
        System.out.println(SafeText.escape(r.result().line()));
        return null;
    }

    /**
     * Gogo runs a command in a thread named after the command line ("pipe-sitegate:modem-at wan0
     * 'AT+CPIN=1234'"), and the log patterns print thread names: every line logged while the command
     * runs would carry the PIN. The name is masked and left masked; gogo restores its own name after.
     */
    static void hideSecretsInThreadName() {
        Thread t = Thread.currentThread();
        String masked = AtCommand.mask(t.getName());
        if (!masked.equals(t.getName())) {
            t.setName(masked);
        }
    }
}
