package io.sitegate.tools.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FleetTableTest {
    static GatewayStatus status(String json) throws IOException {
        return GatewayStatus.parse("x", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rowsShowStateVersionLastAckAndHealthNotUp() throws IOException {
        FleetTable t = new FleetTable(null);
        t.status(status("{\"state\":\"online\",\"gateway\":\"gw-2\",\"groups\":[\"g\"],\"policyVersion\":7,"
                + "\"health\":{\"mqtt\":\"UP\",\"tunnels\":\"DOWN\",\"dns\":\"DEGRADED\"}}"));
        t.status(status("{\"state\":\"online\",\"gateway\":\"gw-1\",\"groups\":[\"g\"],\"health\":{\"mqtt\":\"UP\"}}"));
        t.ack(new PolicyAck("gw-2", 7, "group:g", "applied", ""));
        String[] lines = t.render().split("\n");
        assertThat(lines[0]).startsWith("GATEWAY").contains("STATE", "POLICY", "LAST ACK", "HEALTH");
        assertThat(lines[1]).matches("gw-1 +online +- +- +ok");
        assertThat(lines[2]).matches("gw-2 +online +v7 +applied v7 +tunnels: DOWN, dns: DEGRADED");
        assertThat(lines[3]).isEqualTo("2 gateways, 2 online");
    }

    @Test
    void offlineKeepsVersionAndGroupFilterApplies() throws IOException {
        FleetTable t = new FleetTable("g");
        t.status(status("{\"state\":\"online\",\"gateway\":\"gw-1\",\"groups\":[\"g\"],\"policyVersion\":3,\"health\":{}}"));
        t.status(status("{\"state\":\"online\",\"gateway\":\"other\",\"groups\":[\"h\"],\"health\":{}}"));
        t.status(status("{\"state\":\"offline\",\"gateway\":\"gw-1\"}"));
        String out = t.render();
        assertThat(out).doesNotContain("other").contains("1 gateways, 0 online in group g");
        assertThat(out.split("\n")[1]).matches("gw-1 +offline +v3 +- +-");
    }
}
