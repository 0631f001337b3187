package io.sitegate.tools.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.PolicySections;
import io.sitegate.policy.PolicyVerificationException;
import io.sitegate.tools.ctl.SitegateCtl.Options;
import io.sitegate.tools.ctl.SitegateCtl.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.common.MqttException;

/** The MQTT commands {@code publish}, {@code diff} and {@code watch}: parse, talk to the broker, print. */
final class FleetCommands {
    static final Map<String, String> PIDS = Map.of("cellular", "io.sitegate.cellular", "dns", "io.sitegate.dns",
            "filter", "io.sitegate.filter", "modem", "io.sitegate.modem", "tunnels", "io.sitegate.tunnel");
    private final PrintStream out;
    private final PrintStream err;

    FleetCommands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static String policyTopic(String gateway, String group) {
        return gateway != null ? "sitegate/" + gateway + "/policy" : "sitegate/group/" + group + "/policy";
    }

    int publish(Options o) throws IOException, GeneralSecurityException, MqttException, InterruptedException {
        String gateway = o.optional("gateway");
        String group = o.optional("group");
        if ((gateway == null) == (group == null)) {
            throw new UsageException("publish: exactly one of --gateway <id> or --group <g>");
        }
        long wait = o.seconds("wait", 0, 1);
        if (wait > 0 && group != null) {
            throw new UsageException("--wait goes with --gateway (a group's acks: use rollout or watch)");
        }
        BrokerConnection broker = BrokerConnection.from(o);
        SignedPolicy policy = SignedPolicy.parse(Files.readString(Path.of(o.argument("file.jws"))));
        policy.requireTarget(gateway, group);
        try (FleetListener fleet = new FleetListener(broker)) {
            CompletableFuture<PolicyAck> finalAck = new CompletableFuture<>();
            fleet.onAck(a -> {
                if (a.gateway().equals(gateway) && a.version() == policy.version() && a.target().equals(policy.target()) && a.isFinal()) {
                    finalAck.complete(a);
                }
            });
            if (wait > 0) {
                fleet.start();
            }
            // retained both ways: a gateway that comes online later must still get it
            fleet.publish(policyTopic(gateway, group), policy.bytes(), true);
            out.println("published version " + policy.version() + " for " + policy.target() + " on " + policyTopic(gateway, group));
            if (wait == 0) {
                return 0;
            }
            try {
                PolicyAck a = finalAck.get(wait, TimeUnit.SECONDS);
                out.println(gateway + ": " + a.result() + " version " + a.version() + (a.reason().isEmpty() ? "" : " (" + a.reason() + ")"));
                return a.applied() ? 0 : 1;
            } catch (TimeoutException e) {
                out.println(gateway + ": no final ack of version " + policy.version() + " within " + wait + " s");
                return 1;
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }
    }

    int diff(Options o) throws IOException, GeneralSecurityException, MqttException, InterruptedException {
        String gateway = o.required("gateway");
        long timeout = o.seconds("timeout", 5, 1);
        BrokerConnection broker = BrokerConnection.from(o);
        Path file = Path.of(o.argument("policy.json | file.jws"));
        String text = Files.readString(file);
        JsonNode policy = text.strip().startsWith("{") ? GatewayStatus.JSON.readTree(text) : SignedPolicy.parse(text).payload();
        GatewayStatus status;
        try (FleetListener fleet = new FleetListener(broker)) {
            CompletableFuture<GatewayStatus> got = new CompletableFuture<>();
            fleet.onStatus(s -> {
                if (s.gateway().equals(gateway)) {
                    got.complete(s);
                }
            });
            fleet.start();
            try {
                status = got.get(timeout, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                err.println("sitegate-ctl: no status of gateway " + gateway + " within " + timeout + " s (unknown gateway, or the broker keeps none)");
                return 1;
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }
        if (!status.online()) {
            err.println("sitegate-ctl: gateway " + gateway + " is offline; its last status keeps no configuration");
            return 1;
        }
        for (String line : diffLines(status, policy)) {
            out.println(line);
        }
        return 0;
    }

    /** The whole diff of a policy document against a status: the versions, then section by section. */
    static List<String> diffLines(GatewayStatus status, JsonNode policy) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("in force: version " + (status.policyVersion() == 0 ? "none" : status.policyVersion() + " for " + status.policyTarget())
                + "; policy: version " + policy.path("version").asText("?") + " for " + policy.path("target").asText("?"));
        for (var it = policy.path("sections").fields(); it.hasNext(); ) {
            var e = it.next();
            String section = e.getKey();
            if (PolicySections.FEATURES.equals(section)) {
                lines.add("features (not configuration, as in the policy): " + e.getValue());
                continue;
            }
            String pid = PIDS.get(section);
            if (pid == null) {
                lines.add(section + ": unknown section");
                continue;
            }
            try {
                ConfigSection c = PolicySections.toConfigSection(section, e.getValue(), pid, PolicySections.FACTORIES.contains(section));
                lines.addAll(SectionDiff.diff(section, status.sections().get(section), c.configurations()));
            } catch (PolicyVerificationException ex) {
                throw new IOException("section " + section + " is not valid: " + ex.refusal());
            }
        }
        return lines;
    }

    int watch(Options o) throws IOException, GeneralSecurityException, MqttException, InterruptedException {
        String group = o.optional("group");
        String share = o.optional("share");
        if (share != null) {
            FleetListener.shareGroup(share);
        }
        boolean once = o.flag("once");
        long timeout = o.seconds("timeout", 5, 1);
        BrokerConnection broker = BrokerConnection.from(o);
        FleetTable table = new FleetTable(group, share);
        try (FleetListener fleet = new FleetListener(broker)) {
            fleet.onStatus(table::status);
            fleet.onAck(table::ack);
            fleet.start(share);
            if (once) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(timeout));
                out.print(table.render());
                return 0;
            }
            String last = "";
            while (!Thread.currentThread().isInterrupted()) {
                String now = table.render();
                if (!now.equals(last)) {
                    out.print("\033[H\033[2J" + now); // redraw from the top
                    out.flush();
                    last = now;
                }
                Thread.sleep(1000); // at most one redraw a second
            }
        }
        return 0;
    }

    static String groupOf(PolicyDocument d) {
        return d.target().substring(PolicyDocument.GROUP_PREFIX.length());
    }
}
