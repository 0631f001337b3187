package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.List;

/**
 * What a command handler answers: zero or more information lines and a final result. The final result is
 * rendered later, because {@code +CME ERROR} depends on the {@code +CMEE} mode in force.
 */
public final class AtResponse {

    /** The final result of a command. */
    public enum Result { OK, ERROR, CME, CMS, PROMPT }

    private final List<String> lines;
    private final Result result;
    private final int code;

    private AtResponse(List<String> lines, Result result, int code) {
        this.lines = lines;
        this.result = result;
        this.code = code;
    }

    /** @return {@code OK} after the given information lines */
    public static AtResponse ok(String... lines) {
        return new AtResponse(new ArrayList<>(List.of(lines)), Result.OK, 0);
    }

    /** @return {@code OK} after the given information lines */
    public static AtResponse ok(List<String> lines) {
        return new AtResponse(new ArrayList<>(lines), Result.OK, 0);
    }

    /** @return a plain {@code ERROR} (syntax error, not subject to {@code +CMEE}) */
    public static AtResponse error() {
        return new AtResponse(new ArrayList<>(), Result.ERROR, 0);
    }

    /** @return a {@code +CME ERROR} with a 27.007 code */
    public static AtResponse cme(int code) {
        return new AtResponse(new ArrayList<>(), Result.CME, code);
    }

    /** @return a {@code +CMS ERROR} with a 27.005 code (always numeric) */
    public static AtResponse cms(int code) {
        return new AtResponse(new ArrayList<>(), Result.CMS, code);
    }

    /** @return the {@code > } prompt that asks for SMS text ended by Ctrl-Z */
    public static AtResponse prompt() {
        return new AtResponse(new ArrayList<>(), Result.PROMPT, 0);
    }

    /** @return the information lines, in order */
    public List<String> lines() {
        return lines;
    }

    /** @return the final result kind */
    public Result result() {
        return result;
    }

    /** @return true unless the result is an error */
    public boolean succeeded() {
        return result == Result.OK || result == Result.PROMPT;
    }

    /** @return the final result line as the module prints it, or null for the SMS prompt */
    public String finalLine(int cmeeMode) {
        return switch (result) {
            case OK -> "OK";
            case ERROR -> "ERROR";
            case CME -> CmeError.render(code, cmeeMode);
            case CMS -> "+CMS ERROR: " + code;
            case PROMPT -> null;
        };
    }
}
