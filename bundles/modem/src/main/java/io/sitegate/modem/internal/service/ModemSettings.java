package io.sitegate.modem.internal.service;

import io.sitegate.core.ConfigurationValues;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.Secret;
import io.sitegate.core.SecretException;
import io.sitegate.core.SafeText;
import io.sitegate.core.SecretStore;
import io.sitegate.modem.ModemProfile;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.modem.Rat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A modem's configuration, read strictly from its factory configuration. Secrets (SIM PIN, APN
 * password) are not configuration values: the configuration names a secret file
 * ({@code pinSecret}, {@code apnPasswordSecret}) read through the {@link SecretStore}, so
 * {@code config:list} never holds them. A plain {@code pin} or {@code apnPassword} is refused.
 * Secrets are kept out of {@link #toString()} and out of every error message.
 */
public record ModemSettings(String id, String port, String profile, String apn, String pdpType, String apnUser,
                            Optional<Secret> apnPassword, String auth, Optional<Secret> pin, List<Rat> ratOrder, int cid,
                            boolean autoConnect, Duration pollInterval, int resetAfterFailures,
                            Duration backoffInitial, Duration backoffMax) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern APN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,99}");
    private static final Pattern PIN = Pattern.compile("\\d{4,8}");

    /** Properties that once held secrets in clear, with the property that names the secret file instead. */
    private static final Map<String, String> PLAIN_SECRETS = Map.of("pin", "pinSecret", "apnPassword", "apnPasswordSecret",
            "puk", "pukSecret");

    /** Settings without a secret store: any secret reference is refused (for tests and tools). */
    public static ModemSettings from(Map<String, ?> properties) {
        return from(properties, null);
    }

    /**
     * The modem id from {@code id}, else from the factory PID's name ({@code io.sitegate.modem~wan0});
     * secrets named by {@code pinSecret} and {@code apnPasswordSecret} are read from {@code secrets}.
     *
     * @throws InvalidConfigurationException naming the property; for a secret, its name and the
     *         file problem, never its value
     */
    public static ModemSettings from(Map<String, ?> properties, SecretStore secrets) {
        ConfigurationValues v = ConfigurationValues.collecting(pidOf(properties), properties).defaults(ModemConfig.class);
        ModemSettings settings = read(v, secrets);
        List<ConfigProblem> problems = v.finish();
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return settings;
    }

    /** Every problem of a proposed modem configuration at once, unknown properties included; nothing is applied. */
    public static List<ConfigProblem> problems(String pid, Map<String, ?> properties, SecretStore secrets) {
        Map<String, Object> withPid = new java.util.HashMap<>(properties);
        withPid.put("service.pid", pid);
        ConfigurationValues v = ConfigurationValues.collecting(pid, withPid).defaults(ModemConfig.class);
        read(v, secrets);
        return v.finish();
    }

    private static String pidOf(Map<String, ?> properties) {
        Object rawPid = properties.get("service.pid");
        return rawPid == null ? "io.sitegate.modem" : rawPid.toString();
    }

    private static ModemSettings read(ConfigurationValues v, SecretStore secrets) {
        Map<String, ?> properties = v.properties();
        String pid = pidOf(properties);
        String fromPid = pid.contains("~") ? pid.substring(pid.indexOf('~') + 1) : "modem";
        String id = v.matching("id", fromPid, ID, "1-32 characters of a-z, 0-9 and '-'");
        String port = v.string("port");
        if (port == null) {
            v.problem("port", "", "required: a serial device (/dev/ttyUSB2) or tcp://host:port");
            port = "";
        } else if (!(port.startsWith("/") || port.startsWith("tcp://") || port.startsWith("serial:"))) {
            v.problem("port", port, "expected a device path or tcp://host:port");
        }
        refusePlainSecrets(v, secrets);
        Optional<Secret> pin = secret(v, "pinSecret", secrets);
        if (pin.isPresent() && !PIN.matcher(pin.get().reveal()).matches()) {
            // never echo a PIN, even a malformed one
            v.problem("pinSecret", pin.get().name(), "the SIM PIN in " + where(secrets, pin.get().name()) + " is not 4 to 8 digits");
        }
        Optional<Secret> apnPassword = secret(v, "apnPasswordSecret", secrets);
        if (apnPassword.isPresent() && !ModemProfile.isAtStringSafe(apnPassword.get().reveal())) {
            // never echo the password, only where it is
            v.problem("apnPasswordSecret", apnPassword.get().name(), "the APN password in "
                    + where(secrets, apnPassword.get().name()) + " contains a '\"', a ';' or a control character,"
                    + " which an AT command line cannot carry");
        }
        String apnUser = Objects.requireNonNullElse(v.string("apnUser"), "");
        if (!ModemProfile.isAtStringSafe(apnUser)) {
            v.problem("apnUser", SafeText.escape(apnUser), "contains a '\"', a ';' or a control character, which an AT command line cannot carry");
            apnUser = "";
        }
        return new ModemSettings(id, port,
                v.string("profile"),
                Objects.requireNonNullElse(v.matching("apn", Pattern.compile("|" + APN.pattern()), "an APN name (letters, digits, '.', '-')"), ""),
                v.matching("pdpType", Pattern.compile("IP|IPV6|IPV4V6"), "IP, IPV6 or IPV4V6"),
                apnUser,
                apnPassword,
                v.matching("auth", Pattern.compile("none|pap|chap"), "none, pap or chap"),
                pin,
                v.parsed("ratOrder", ModemSettings::parseRats),
                (int) v.integer("cid", 1, 16),
                v.bool("autoConnect"),
                Duration.ofSeconds(v.integer("pollSeconds", 1, 3600)),
                (int) v.integer("resetAfterFailures", 1, 100),
                Duration.ofSeconds(v.integer("backoffInitialSeconds", 1, 3600)),
                Duration.ofSeconds(v.integer("backoffMaxSeconds", 1, 86400)));
    }

    private static void refusePlainSecrets(ConfigurationValues v, SecretStore secrets) {
        for (Map.Entry<String, String> e : PLAIN_SECRETS.entrySet()) {
            Object value = v.properties().get(e.getKey());
            v.known(e.getKey());
            if (value != null && !value.toString().isEmpty()) {
                String dir = secrets == null ? "${karaf.etc}/secrets" : secrets.directory().toString();
                v.problem(e.getKey(), "****", "secrets are not accepted in the configuration;"
                        + " remove '" + e.getKey() + "', put the value in a file " + dir + "/<name> (owned by the gateway's"
                        + " user, mode 0600) and set '" + e.getValue() + " = <name>'");
            }
        }
    }

    private static Optional<Secret> secret(ConfigurationValues v, String property, SecretStore secrets) {
        String name = v.string(property, "");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (!SecretStore.isValidName(name)) {
            v.problem(property, name, "expected a secret name: 1-100 characters of A-Z, a-z, 0-9, '.', '_', '-', not starting with '.'");
            return Optional.empty();
        }
        if (secrets == null) {
            v.problem(property, name, "no secret store available");
            return Optional.empty();
        }
        try {
            return Optional.of(secrets.read(name));
        } catch (SecretException e) {
            v.problem(property, name, e.getMessage());
            return Optional.empty();
        }
    }

    private static String where(SecretStore secrets, String name) {
        return secrets.directory().resolve(name).toString();
    }

    /** {@code lte,lte-m,nb-iot,umts,gsm} (also 4g, 3g, 2g, cat-m, nbiot) in order of preference. */
    public static List<Rat> parseRats(String text) {
        List<Rat> rats = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            Rat rat = switch (part.toLowerCase(Locale.ROOT)) {
                case "gsm", "2g" -> Rat.GSM;
                case "umts", "3g", "wcdma" -> Rat.UMTS;
                case "lte", "4g" -> Rat.LTE;
                case "lte-m", "ltem", "cat-m", "catm", "cat-m1", "emtc" -> Rat.LTE_M;
                case "nb-iot", "nbiot", "nb1" -> Rat.NB_IOT;
                default -> throw new IllegalArgumentException("unknown RAT '" + part + "' (use gsm, umts, lte, lte-m, nb-iot)");
            };
            if (rats.contains(rat)) {
                throw new IllegalArgumentException("RAT " + part + " listed twice");
            }
            rats.add(rat);
        }
        return List.copyOf(rats);
    }

    @Override
    public String toString() {
        return "ModemSettings[id=" + id + ", port=" + port + ", profile=" + profile + ", apn=" + apn + ", pdpType=" + pdpType
                + ", auth=" + auth + ", pinSecret=" + pin.map(Secret::name).orElse("none")
                + ", apnPasswordSecret=" + apnPassword.map(Secret::name).orElse("none") + ", ratOrder=" + ratOrder + "]";
    }
}
