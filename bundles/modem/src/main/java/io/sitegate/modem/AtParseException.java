package io.sitegate.modem;

/** A reply did not have the documented shape. Names the command and the offending line. */
public class AtParseException extends AtException {
    private static final long serialVersionUID = 1L;
    private final String command;
    private final String line;

    /**
     * @param command the command whose reply failed to parse (already masked)
     * @param line the offending line, or a description when no line was there
     * @param reason what was wrong with it
     */
    public AtParseException(String command, String line, String reason) {
        // the line comes from the modem: shown escaped, with any credential it repeats masked
        super("cannot parse reply to " + command + ": " + reason + " in line '" + AtSecrets.loggable(line) + "'");
        this.command = command;
        this.line = line;
    }

    /** The (masked) command text. */
    public String command() {
        return command;
    }

    /** The offending line. */
    public String line() {
        return line;
    }
}
