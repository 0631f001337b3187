package io.sitegate.tools.modemsim;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The module's side of one connection: echoes bytes when {@code ATE1}, assembles command lines ended by CR
 * (a following LF is ignored), runs them through the fault plan and the interpreter, writes framed answers,
 * and handles the SMS text prompt (Ctrl-Z sends, ESC cancels).
 */
final class AtSession {

    private static final System.Logger LOG = System.getLogger(AtSession.class.getName());
    private static final int MAX_LINE = 2048;
    private static final int MAX_SMS_TEXT = 1024;
    private static final byte CTRL_Z = 0x1A;
    private static final byte ESC = 0x1B;
    private static final byte[] PROMPT = "\r\n> ".getBytes(StandardCharsets.ISO_8859_1);

    private final SimulatedModem modem;
    private final AtInterpreter interpreter;
    private final CommandJournal journal;
    private final FaultPlan faults;
    private final ModemLink link;
    private final Runnable afterCommand;
    private final StringBuilder buffer = new StringBuilder();
    private boolean overflow;
    private boolean smsText;

    AtSession(SimulatedModem modem, AtInterpreter interpreter, CommandJournal journal, FaultPlan faults,
            ModemLink link, Runnable afterCommand) {
        this.modem = modem;
        this.interpreter = interpreter;
        this.journal = journal;
        this.faults = faults;
        this.link = link;
        this.afterCommand = afterCommand;
    }

    /** Feeds bytes received from the host. */
    void receive(byte[] bytes, int length) throws InterruptedException {
        boolean echo;
        synchronized (modem) {
            echo = modem.state().echo();
        }
        int echoFrom = 0;
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            boolean endOfUnit = smsText ? b == CTRL_Z || b == ESC : b == '\r';
            if (endOfUnit) {
                // echo what came before the terminator first, so the answer follows the echoed command
                if (echo) {
                    link.send(java.util.Arrays.copyOfRange(bytes, echoFrom, i + 1));
                }
                echoFrom = i + 1;
                if (smsText) {
                    endSmsText(b);
                } else {
                    endLine();
                }
                synchronized (modem) {
                    echo = modem.state().echo();
                }
            } else {
                accept(b);
            }
        }
        if (echo && echoFrom < length) {
            link.send(java.util.Arrays.copyOfRange(bytes, echoFrom, length));
        }
    }

    private void accept(byte b) {
        if (!smsText && b == '\n') {
            return;
        }
        if (!smsText && (b == 0x08 || b == 0x7F)) {
            if (buffer.length() > 0) {
                buffer.setLength(buffer.length() - 1);
            }
            return;
        }
        if (buffer.length() < (smsText ? MAX_SMS_TEXT : MAX_LINE)) {
            buffer.append((char) (b & 0xFF));
        } else {
            overflow = true;
        }
    }

    private void endLine() throws InterruptedException {
        String line = buffer.toString().strip();
        boolean tooLong = overflow;
        buffer.setLength(0);
        overflow = false;
        if (tooLong) {
            link.line("ERROR");
            return;
        }
        if (line.length() < 2 || !line.regionMatches(true, 0, "AT", 0, 2)) {
            // modules ignore anything that does not start with AT (line noise, stray LF)
            return;
        }
        journal.record(line);
        LOG.log(System.Logger.Level.DEBUG, "<- {0}", CommandJournal.mask(line));
        List<FaultPlan.Rule> rules = faults.matching(line);
        String injected = null;
        for (FaultPlan.Rule rule : rules) {
            switch (rule.kind()) {
                case DELAY -> Thread.sleep(rule.delay().toMillis());
                case NO_ANSWER -> {
                    LOG.log(System.Logger.Level.DEBUG, "-> (no answer: fault)");
                    return;
                }
                case CME -> {
                    int cmee;
                    synchronized (modem) {
                        cmee = modem.state().cmee();
                    }
                    write(List.of(), CmeError.render(rule.code(), cmee == 0 ? 1 : cmee), null, List.of());
                    return;
                }
                case INJECT_URC -> injected = rule.urc();
            }
        }
        AtInterpreter.Reply reply = interpreter.execute(line);
        afterCommand.run(); // the data path's transition is journalled before the host sees the answer
        if (reply.prompt()) {
            for (String l : reply.lines()) {
                link.line(l);
            }
            link.send(PROMPT);
            smsText = true;
            return;
        }
        write(reply.lines(), reply.finalLine(), injected, reply.urcsAfter());
    }

    private void endSmsText(byte terminator) {
        String text = buffer.toString();
        buffer.setLength(0);
        overflow = false;
        smsText = false;
        AtInterpreter.Reply reply = terminator == CTRL_Z ? interpreter.completeSms(text) : interpreter.cancelSms();
        afterCommand.run();
        LOG.log(System.Logger.Level.DEBUG, "<- SMS text ({0} chars) {1}", text.length(),
                terminator == CTRL_Z ? "sent" : "cancelled");
        write(reply.lines(), reply.finalLine(), null, reply.urcsAfter());
    }

    /** Writes an answer; an injected URC goes after the first information line, or before the final result. */
    private void write(List<String> lines, String finalLine, String injected, List<String> urcsAfter) {
        for (int i = 0; i < lines.size(); i++) {
            link.line(lines.get(i));
            if (i == 0 && injected != null) {
                link.line(injected);
                injected = null;
            }
        }
        if (injected != null) {
            link.line(injected);
        }
        link.line(finalLine);
        LOG.log(System.Logger.Level.DEBUG, "-> {0} line(s), {1}", lines.size(), finalLine);
        for (String urc : urcsAfter) {
            link.urc(urc);
        }
    }
}
