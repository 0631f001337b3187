package io.sitegate.modem.command;

import io.sitegate.modem.Modems;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:modem-sms-send <id> <number> <text>}. */
@Command(scope = "sitegate", name = "modem-sms-send", description = "Sends a text SMS (up to 160 characters) through a modem.")
@Service
public class ModemSmsSendCommand implements Action {
    @Reference
    Modems modems;

    @Argument(index = 0, name = "id", description = "Modem id", required = true)
    @Completion(ModemIdCompleter.class)
    String id;

    @Argument(index = 1, name = "number", description = "Destination, e.g. +491701234567", required = true)
    String number;

    @Argument(index = 2, name = "text", description = "Message text", required = true, multiValued = true)
    List<String> text;

    @Override
    public Object execute() throws Exception {
        int ref = modems.require(id).sendSms(number, String.join(" ", text));
        System.out.println("sent, message reference " + ref);
        return null;
    }
}
