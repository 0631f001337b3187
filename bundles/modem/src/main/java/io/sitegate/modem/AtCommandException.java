package io.sitegate.modem;

import java.util.Optional;

/** The modem answered a command with an error final result ({@code ERROR}, {@code +CME ERROR}, ...). */
public class AtCommandException extends AtException {
    private static final long serialVersionUID = 1L;
    private final transient AtResponse response;

    /** @param response the complete failed response */
    public AtCommandException(AtResponse response) {
        super(response.command().loggable() + " failed: " + response.result().describe());
        this.response = response;
    }

    /** The complete response, including the info lines received before the error. */
    public AtResponse response() {
        return response;
    }

    /** The CME/CMS error, when the final result carried one. */
    public Optional<AtError> error() {
        return response.result().error();
    }
}
