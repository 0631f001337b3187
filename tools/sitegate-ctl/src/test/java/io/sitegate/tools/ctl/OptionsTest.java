package io.sitegate.tools.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.tools.ctl.SitegateCtl.Options;
import io.sitegate.tools.ctl.SitegateCtl.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static Options parse(String... a) {
        return Options.parse(a, 0);
    }

    @Test
    void flagsTakeNoValue() {
        Options o = parse("--once", "--timeout", "3", "--plain", "file.jws");
        assertThat(o.flag("once")).isTrue();
        assertThat(o.flag("plain")).isTrue();
        assertThat(o.seconds("timeout", 5, 1)).isEqualTo(3);
        assertThat(o.argument("file")).isEqualTo("file.jws");
    }

    @Test
    void badNumbersAreRefusedByName() {
        assertThatThrownBy(() -> parse("--soak", "x").seconds("soak", 60, 0)).isInstanceOf(UsageException.class).hasMessageContaining("--soak");
        assertThatThrownBy(() -> parse("--canary", "0").seconds("canary", 1, 1)).hasMessageContaining("at least 1");
        assertThat(parse().seconds("soak", 60, 0)).isEqualTo(60);
    }

    @Test
    void shareGroupsBecomeSharedSubscriptions() {
        assertThat(FleetListener.topics(null)).containsExactly("sitegate/+/status", "sitegate/+/ack");
        assertThat(FleetListener.topics("ops-eu.1")).containsExactly("$share/ops-eu.1/sitegate/+/status", "$share/ops-eu.1/sitegate/+/ack");
    }

    @Test
    void shareGroupNamesWithTopicSyntaxAreRefused() {
        for (String bad : new String[] {"a/b", "ops+", "#", "x\u0000y", "tab\there"}) {
            assertThatThrownBy(() -> FleetListener.shareGroup(bad)).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageContaining("--share").hasMessageContaining("MQTT v5 4.8.2");
        }
        assertThatThrownBy(() -> FleetListener.shareGroup("")).isInstanceOf(UsageException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> FleetListener.shareGroup("a/b")).hasMessageContaining("has '/'");
        assertThat(FleetListener.shareGroup("ops eu")).isEqualTo("ops eu"); // a space is a character like any other
    }

    @Test
    void plainTcpOnlyWithPlain() {
        assertThatThrownBy(() -> BrokerConnection.from(parse("--broker", "tcp://h:1883"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("--plain");
        assertThat(BrokerConnection.from(parse("--broker", "tcp://h:1883", "--plain")).plain()).isTrue();
        assertThatThrownBy(() -> BrokerConnection.from(parse("--broker", "ssl://h:8883", "--plain"))).hasMessageContaining("tcp://");
        assertThatThrownBy(() -> BrokerConnection.from(parse("--broker", "ssl://h:8883", "--ca", "ca.pem"))).hasMessageContaining("--cert");
        assertThatThrownBy(() -> BrokerConnection.from(parse("--broker", "http://h"))).hasMessageContaining("ssl://host:port");
        assertThat(BrokerConnection.clientId()).matches("sitegate-ctl-[0-9a-f]{12}").isNotEqualTo(BrokerConnection.clientId());
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void signedPolicyShapeAndTarget() throws IOException {
        String jws = b64("{\"alg\":\"EdDSA\"}") + "." + b64("{\"version\":4,\"target\":\"group:g\"}") + "." + b64("sig");
        SignedPolicy p = SignedPolicy.parse(jws + "\n");
        assertThat(p.version()).isEqualTo(4);
        assertThat(p.token()).isEqualTo(jws);
        p.requireTarget(null, "g");
        assertThatThrownBy(() -> p.requireTarget("gw-1", null)).hasMessageContaining("'group:g', not for 'gw-1'");
        assertThatThrownBy(() -> p.requireTarget(null, "h")).hasMessageContaining("not for 'group:h'");
        assertThatThrownBy(() -> SignedPolicy.parse("{\"version\":4}")).hasMessageContaining("not a JWS compact");
        assertThatThrownBy(() -> SignedPolicy.parse(b64("{}") + "." + b64("[1]") + "." + b64("s"))).hasMessageContaining("no target");
    }

    @Test
    void gatewayOfTopic() {
        assertThat(GatewayStatus.gatewayOf("sitegate/gw-1/status")).isEqualTo("gw-1");
        assertThat(GatewayStatus.gatewayOf("sitegate/group/g/policy")).isNull();
        assertThat(GatewayStatus.gatewayOf("sitegate/gw-1/x/status")).isNull();
    }

    @Test
    void usageHasAnExampleForEveryCommand() {
        for (String command : java.util.List.of("keygen", "sign", "verify", "publish", "diff", "watch", "rollout", "simulate")) {
            assertThat(SitegateCtl.USAGE).contains("  " + command + " ").contains("sitegate-ctl " + command + " ");
        }
    }

    @Test
    void mqttCommandsRefuseMissingOptionsBeforeConnecting() {
        var out = new java.io.ByteArrayOutputStream();
        var ps = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(new SitegateCtl(ps, ps).run(new String[] {"publish", "--gateway", "a", "--group", "b", "x.jws"})).isEqualTo(2);
        assertThat(new SitegateCtl(ps, ps).run(new String[] {"rollout", "--group", "g", "x.jws", "--broker", "tcp://h:1", "--plain"})).isEqualTo(2);
        assertThat(new SitegateCtl(ps, ps).run(new String[] {"publish", "--group", "g", "--wait", "3", "x.jws"})).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("exactly one of --gateway", "--canary <N> is required",
                "--wait goes with --gateway");
    }
}
