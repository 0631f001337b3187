package io.sitegate.core;

import java.security.AccessController;
import java.security.Principal;
import javax.security.auth.Subject;

/** Who runs a shell command, as audit entries and events name them. */
public final class Operators {
    private Operators() {
    }

    /**
     * {@code operator '<name>'} for the user of the Karaf session the command runs in (Karaf 4.4 runs commands under
     * {@code Subject.doAs}), else {@code the shell}.
     */
    @SuppressWarnings("removal") // Subject.getSubject: the only way to ask Karaf 4.4 who runs a command
    public static String current() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject != null) {
            for (Principal p : subject.getPrincipals()) {
                if (p.getClass().getSimpleName().equals("UserPrincipal")) {
                    return "operator '" + p.getName() + "'";
                }
            }
        }
        return "the shell";
    }
}
