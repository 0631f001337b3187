package io.sitegate.tools.modemsim;

/** A scenario line that cannot be understood; the message names the source and line number. */
public final class ScenarioException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int lineNumber;

    /**
     * @param source     script file name or {@code control}
     * @param lineNumber 1-based line number
     * @param message    what is wrong
     */
    public ScenarioException(String source, int lineNumber, String message) {
        super(source + ":" + lineNumber + ": " + message);
        this.lineNumber = lineNumber;
    }

    /** @return the 1-based line number of the bad line */
    public int lineNumber() {
        return lineNumber;
    }
}
