package io.sitegate.modem.internal.shell;

import io.sitegate.modem.AtSecrets;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.karaf.shell.api.console.CommandLoggingFilter;
import org.osgi.service.component.annotations.Component;

/**
 * Keeps secrets typed on the shell out of Karaf's command log ("Executing command: ...") and the
 * shell history: PINs and passwords in {@code modem-at} lines (masked by {@link AtSecrets}) and the
 * value of a {@code config:property-set} of a secret-looking property (pin, puk, *password,
 * *passphrase, *psk, *privateKey; not the *Secret properties, which only name a secret file), which the modem refuses anyway but which would otherwise stay in the log.
 * Every other command line is returned unchanged.
 */
@Component(service = CommandLoggingFilter.class)
public final class SecretCommandLoggingFilter implements CommandLoggingFilter {
    private static final Pattern MODEM_AT = Pattern.compile("(?i)\\bmodem-at\\b");
    private static final Pattern PROPERTY_SET = Pattern.compile(
            "(?i)(\\bproperty-set\\s+(?:-\\S+\\s+(?:\\S+\\s+)?)*['\"]?(?:pin|puk|\\w*password|\\w*passphrase|\\w*psk|\\w*privateKey)['\"]?\\s+)"
                    + "(\"[^\"]*\"?|'[^']*'?|\\S+)");

    @Override
    public CharSequence filter(CharSequence command) {
        if (command == null) {
            return null;
        }
        String line = command.toString();
        String out = line;
        if (MODEM_AT.matcher(out).find()) {
            out = AtSecrets.mask(out);
        }
        Matcher m = PROPERTY_SET.matcher(out);
        if (m.find()) {
            out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)) + "****");
        }
        return out.equals(line) ? command : out;
    }
}
