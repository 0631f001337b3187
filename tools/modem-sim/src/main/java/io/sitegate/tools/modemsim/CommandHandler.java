package io.sitegate.tools.modemsim;

import java.util.Map;

/** Answers one AT command name. Called with the {@link SimulatedModem} monitor held. */
@FunctionalInterface
public interface CommandHandler {

    /** @return the answer to the command */
    AtResponse handle(AtCommand command);

    /** A set of handlers that belong together (a 27.007 chapter or a vendor's own commands). */
    interface Group {
        /** Adds this group's handlers, keyed by upper-case command name ({@code +CSQ}, {@code E}). */
        void register(Map<String, CommandHandler> table);
    }

    /** @return an error answer when the SIM cannot serve a command that needs it, else null */
    static AtResponse simGuard(ModemState s) {
        return switch (s.sim()) {
            case READY -> null;
            case ABSENT -> AtResponse.cme(CmeError.SIM_NOT_INSERTED);
            case PIN_LOCKED -> AtResponse.cme(CmeError.SIM_PIN_REQUIRED);
            case PUK_LOCKED -> AtResponse.cme(CmeError.SIM_PUK_REQUIRED);
        };
    }
}
