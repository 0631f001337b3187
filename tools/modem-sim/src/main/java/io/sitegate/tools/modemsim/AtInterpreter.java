package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a command line into the module's answer, using the command tables of the standard chapters and of
 * the vendor's family. Chained commands ({@code AT+CSQ;+CREG?}) run in order and stop at the first error.
 */
public final class AtInterpreter {

    /**
     * A rendered answer.
     *
     * @param lines     information lines
     * @param finalLine final result ({@code OK}, {@code ERROR}, {@code +CME ERROR: ...}), null with the prompt
     * @param prompt    true when the module now waits for SMS text
     * @param urcsAfter URCs the command caused, to be written after the final result
     */
    public record Reply(List<String> lines, String finalLine, boolean prompt, List<String> urcsAfter) {
    }

    private final SimulatedModem modem;
    private final Map<String, CommandHandler> table = new HashMap<>();
    private final SmsCommands sms;

    /** @param modem the module to answer for */
    public AtInterpreter(SimulatedModem modem) {
        this.modem = modem;
        this.sms = new SmsCommands(modem);
        List<CommandHandler.Group> groups = new ArrayList<>(List.of(new GeneralCommands(modem),
                new NetworkCommands(modem), new PacketDataCommands(modem), sms));
        switch (modem.vendor().family()) {
            case QUECTEL -> groups.add(new QuectelCommands(modem));
            case SIMCOM -> groups.add(new SimcomCommands(modem));
            case UBLOX -> groups.add(new UbloxCommands(modem));
            case GENERIC -> { }
        }
        groups.forEach(g -> g.register(table));
    }

    /** @return the answer to one command line (without its CR) */
    public Reply execute(String line) {
        synchronized (modem) {
            modem.beginCommand();
            List<String> lines = new ArrayList<>();
            AtResponse response = run(line, lines);
            return render(lines, response, modem.endCommand());
        }
    }

    private AtResponse run(String line, List<String> lines) {
        List<AtCommand> commands;
        try {
            commands = AtCommand.parseLine(line);
        } catch (IllegalArgumentException e) {
            return AtResponse.error();
        }
        AtResponse last = AtResponse.ok();
        for (AtCommand command : commands) {
            last = handle(command);
            lines.addAll(last.lines());
            if (!last.succeeded() || last.result() == AtResponse.Result.PROMPT) {
                break;
            }
        }
        return last;
    }

    private AtResponse handle(AtCommand command) {
        CommandHandler handler = table.get(command.name());
        if (handler == null) {
            return AtResponse.cme(CmeError.OPERATION_NOT_SUPPORTED);
        }
        try {
            return handler.handle(command);
        } catch (RuntimeException e) {
            // missing or non-numeric parameters: what a module answers to a malformed argument list
            return AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
        }
    }

    /** @return the answer once the SMS text has been ended with Ctrl-Z */
    public Reply completeSms(String text) {
        synchronized (modem) {
            modem.beginCommand();
            AtResponse response = sms.completeSend(text);
            return render(new ArrayList<>(response.lines()), response, modem.endCommand());
        }
    }

    /** @return the answer when the SMS prompt is left with ESC: nothing is sent */
    public Reply cancelSms() {
        synchronized (modem) {
            sms.cancelSend();
            return new Reply(List.of(), "OK", false, List.of());
        }
    }

    private Reply render(List<String> lines, AtResponse response, List<String> urcs) {
        boolean prompt = response.result() == AtResponse.Result.PROMPT;
        return new Reply(lines, response.finalLine(modem.state().cmee()), prompt, urcs);
    }
}
