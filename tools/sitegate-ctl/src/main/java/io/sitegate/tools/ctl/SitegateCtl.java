package io.sitegate.tools.ctl;

import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.PolicyKeys;
import io.sitegate.policy.PolicySigner;
import io.sitegate.policy.PolicyVerificationException;
import io.sitegate.policy.internal.PolicyVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code sitegate-ctl}, on the operator's machine: keys and signed policies (so far: {@code keygen}, {@code sign},
 * {@code verify}). A policy is signed only after it passes the checks a gateway makes (strict JSON, schema v1, times),
 * so what the CLI signs a gateway accepts, and what it refuses never leaves the operator's machine.
 */
public final class SitegateCtl {
    static final Pattern KID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private final PrintStream out;
    private final PrintStream err;

    SitegateCtl(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new SitegateCtl(System.out, System.err).run(args));
    }

    static final String USAGE = String.join("\n",
            "usage: sitegate-ctl <command> [options]",
            "  keygen --kid <id> --out <dir>                 an Ed25519 signing key: <dir>/<id>.key (private, 0600) and <dir>/<id>.pem",
            "                                                (public: copy it to the gateways' etc/policy-keys/)",
            "  sign --key <file.key> --kid <id> <policy.json> [--out <file.jws>]",
            "                                                checks the policy as a gateway would, then signs it",
            "  verify --trust <dir> --gateway <id> [--group <g>]... <file.jws>",
            "                                                verifies a signed policy as that gateway would (no version history)",
            "  schema-doc                                    the policy document reference (Markdown) from the shipped schema;",
            "                                                the README's 'Policy document reference' is its output",
            "",
            "MQTT commands take  --broker ssl://host:port --ca <ca.pem> --cert <operator.pem> --key <operator.key>",
            "                or  --broker tcp://host:port --plain        (lab brokers only)",
            "  publish (--gateway <id> | --group <g>) <file.jws> [--wait <s>]",
            "                                                publishes it retained on the gateway's or group's policy topic;",
            "                                                --wait: the gateway's final ack (exit 0 only when applied)",
            "  diff --gateway <id> <policy.json | file.jws> [--timeout <s>]",
            "                                                what the policy would change on that gateway, property by property",
            "  watch [--group <g>] [--share <name>] [--once --timeout <s>]",
            "                                                live table of gateways: state, policy version, last ack, health;",
            "                                                --share: an MQTT v5 shared subscription, so watchers with the same",
            "                                                name split the traffic (they get no retained statuses: only changes)",
            "  rollout --group <g> --canary <N> [--soak <s>] [--timeout <s>] [--settle <s>] <file.jws>",
            "                                                N canaries first; halts if one does not apply or turns unhealthy,",
            "                                                else publishes to the group and counts every member's ack",
            "  simulate --gateways <N> --group <g> --trust <dir> [--prefix sim-] [--unhealthy <id,...>]",
            "                                                N simulated gateways (lab, benchmarks); prints 'ready N';",
            "                                                --echo: they ack without verifying (the benchmark's baseline)",
            "",
            "examples ($B: --broker ssl://broker:8883 --ca ca.pem --cert operator.pem --key operator.key):",
            "  sitegate-ctl keygen --kid cloud-2026 --out ~/keys",
            "  sitegate-ctl sign --key ~/keys/cloud-2026.key --kid cloud-2026 plant-7.json --out plant-7.jws",
            "  sitegate-ctl verify --trust ./gateway-keys --gateway gw-0042 --group plant-7 plant-7.jws",
            "  sitegate-ctl publish --gateway gw-0042 gw-0042.jws --wait 30 $B",
            "  sitegate-ctl diff --gateway gw-0042 plant-7.json $B",
            "  sitegate-ctl watch --group plant-7 $B",
            "  sitegate-ctl rollout --group plant-7 --canary 2 --soak 300 plant-7.jws $B",
            "  sitegate-ctl simulate --gateways 100 --group plant-7 --trust ./gateway-keys --broker tcp://127.0.0.1:1883 --plain");

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            Options o = Options.parse(args, 1);
            return switch (args[0]) {
                case "keygen" -> keygen(o);
                case "sign" -> sign(o);
                case "verify" -> verify(o);
                case "schema-doc" -> schemaDoc(o);
                case "publish" -> new FleetCommands(out, err).publish(o);
                case "diff" -> new FleetCommands(out, err).diff(o);
                case "watch" -> new FleetCommands(out, err).watch(o);
                case "rollout" -> new RolloutCommand(out).run(o);
                case "simulate" -> FleetSimulator.run(o, out);
                default -> usage("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            return usage(e.getMessage());
        } catch (IOException | GeneralSecurityException e) {
            err.println("sitegate-ctl: " + e.getMessage());
            return 1;
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            err.println("sitegate-ctl: MQTT: " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("sitegate-ctl: interrupted");
            return 1;
        }
    }

    private int usage(String why) {
        err.println("sitegate-ctl: " + why);
        err.println(USAGE);
        return 2;
    }

    private int keygen(Options o) throws IOException {
        String kid = o.required("kid");
        if (!KID.matcher(kid).matches()) {
            throw new UsageException("--kid: 1-64 of letters, digits, '.', '_', '-'");
        }
        Path dir = Path.of(o.required("out"));
        Files.createDirectories(dir);
        Path priv = dir.resolve(kid + ".key");
        Path pub = dir.resolve(kid + ".pem");
        if (Files.exists(priv) || Files.exists(pub)) {
            throw new IOException(priv + " or " + pub + " exists already: a signing key is never overwritten");
        }
        KeyPair pair = PolicyKeys.generate();
        Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(priv, PolicyKeys.toPem(pair.getPrivate()), StandardCharsets.US_ASCII);
        Files.writeString(pub, PolicyKeys.toPem(pair.getPublic()), StandardCharsets.US_ASCII);
        out.println("private key: " + priv + " (keep it on the signing machine only)");
        out.println("public key:  " + pub + " (copy it to every gateway's etc/policy-keys/" + kid + ".pem)");
        return 0;
    }

    private int sign(Options o) throws IOException, GeneralSecurityException {
        String kid = o.required("kid");
        Path keyFile = Path.of(o.required("key"));
        PolicySigner signer = PolicySigner.fromPem(Files.readString(keyFile, StandardCharsets.US_ASCII), kid);
        String keyName = keyFile.getFileName().toString();
        Path pubFile = keyFile.resolveSibling((keyName.endsWith(".key") ? keyName.substring(0, keyName.length() - 4) : keyName) + ".pem");
        if (!Files.isRegularFile(pubFile)) {
            throw new IOException("the public key " + pubFile + " is missing (keygen writes it next to the private key): "
                    + "the policy is checked with it before it is signed");
        }
        Path policy = Path.of(o.argument("policy.json"));
        String json = Files.readString(policy, StandardCharsets.UTF_8);
        String jws = signer.sign(json);
        // check it as a gateway of its target would, with the matching public key
        PublicKey pub = PolicyKeys.readPublicKey(Files.readString(pubFile, StandardCharsets.US_ASCII));
        try {
            PolicyDocument d = checkAsTarget(jws, kid, pub);
            out.println("policy " + policy + ": version " + d.version() + " for " + d.target() + ", sections "
                    + String.join(", ", d.sections().keySet()) + ", valid until " + d.expiresAt());
        } catch (PolicyVerificationException e) {
            err.println("sitegate-ctl: " + policy + " refused, nothing signed: " + e.refusal());
            return 1;
        }
        String outFile = o.optional("out");
        if (outFile == null) {
            out.println(jws);
        } else {
            Files.writeString(Path.of(outFile), jws, StandardCharsets.US_ASCII);
            out.println("signed: " + outFile);
        }
        return 0;
    }

    private int schemaDoc(Options o) throws IOException {
        if (!o.positional().isEmpty() || !o.named().isEmpty()) {
            throw new UsageException("schema-doc takes no arguments");
        }
        out.print(PolicyReference.shipped());
        return 0;
    }

    /** Verifies a token as a gateway that is its target (or a member of its group) would, with no history. */
    static PolicyDocument checkAsTarget(String jws, String kid, PublicKey key) throws PolicyVerificationException, GeneralSecurityException {
        String target = targetOf(jws);
        boolean group = target.startsWith(PolicyDocument.GROUP_PREFIX);
        PolicyVerifier v = PolicyVerifier.builder().trustKey(kid, key)
                .gateway(group ? "sitegate-ctl-check" : target, group ? Set.of(target.substring(PolicyDocument.GROUP_PREFIX.length())) : Set.of())
                .highWaterMark(t -> 0).build();
        return v.verify(jws.getBytes(StandardCharsets.US_ASCII));
    }

    /** The {@code target} claim read without verifying (only to pick the identity to verify as). */
    static String targetOf(String jws) {
        try {
            String[] parts = jws.split("\\.", -1);
            String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload).get("target");
            return node == null || !node.isTextual() ? "-" : node.asText();
        } catch (RuntimeException | IOException e) {
            return "-";
        }
    }

    private int verify(Options o) throws IOException, GeneralSecurityException {
        Map<String, PublicKey> trusted = PolicyKeys.readTrustedKeys(Path.of(o.required("trust")));
        if (trusted.isEmpty()) {
            throw new IOException("no <kid>.pem or <kid>.jwk in " + o.required("trust"));
        }
        Set<String> groups = Set.copyOf(o.all("group"));
        PolicyVerifier v = PolicyVerifier.builder().trustKeys(trusted).gateway(o.required("gateway"), groups).highWaterMark(t -> 0).build();
        Path file = Path.of(o.argument("file.jws"));
        try {
            PolicyDocument d = v.verify(Files.readAllBytes(file));
            out.println("valid: version " + d.version() + " for " + d.target() + ", key " + d.keyId() + ", sections "
                    + String.join(", ", d.sections().keySet()) + ", " + d.issuedAt() + " .. " + d.expiresAt());
            return 0;
        } catch (PolicyVerificationException e) {
            out.println("refused: " + e.refusal());
            return 1;
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** {@code --name value} options (repeatable) and positional arguments. */
    record Options(Map<String, List<String>> named, List<String> positional) {
        /** Options without a value. */
        static final Set<String> FLAGS = Set.of("plain", "once", "echo");

        static Options parse(String[] args, int from) {
            Map<String, List<String>> named = new LinkedHashMap<>();
            List<String> positional = new ArrayList<>();
            for (int i = from; i < args.length; i++) {
                String a = args[i];
                if (a.startsWith("--") && FLAGS.contains(a.substring(2))) {
                    named.computeIfAbsent(a.substring(2), k -> new ArrayList<>()).add("true");
                } else if (a.startsWith("--")) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(a + " needs a value");
                    }
                    named.computeIfAbsent(a.substring(2), k -> new ArrayList<>()).add(args[++i]);
                } else {
                    positional.add(a);
                }
            }
            return new Options(named, positional);
        }

        String required(String name) {
            List<String> v = named.get(name);
            if (v == null || v.isEmpty()) {
                throw new UsageException("--" + name + " is required");
            }
            return v.get(v.size() - 1);
        }

        String optional(String name) {
            List<String> v = named.get(name);
            return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
        }

        boolean flag(String name) {
            return named.containsKey(name);
        }

        /** A whole number of seconds, at least {@code min}, or {@code dflt} when absent. */
        long seconds(String name, long dflt, long min) {
            String v = optional(name);
            if (v == null) {
                return dflt;
            }
            try {
                long s = Long.parseLong(v);
                if (s >= min) {
                    return s;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException("--" + name + ": a whole number of at least " + min + ", not '" + v + "'");
        }

        List<String> all(String name) {
            return named.getOrDefault(name, List.of());
        }

        String argument(String what) {
            if (positional.size() != 1) {
                throw new UsageException("expected one " + what + (positional.isEmpty() ? "" : ", got " + positional));
            }
            return positional.get(0);
        }
    }
}
