package io.sitegate.tools.ctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet as {@code watch} shows it: per gateway its state, policy in force, last ack and health summary,
 * fed by status and ack messages. Thread-safe; {@link #render()} is pure text.
 */
final class FleetTable {
    private final String group;
    private final String share;
    private final Map<String, Row> rows = new TreeMap<>();

    /** Only gateways listing {@code group} (all when null). */
    FleetTable(String group) {
        this(group, null);
    }

    /**
     * Only gateways listing {@code group} (all when null), fed through the shared subscription {@code share}
     * (none when null): the footer then says that the table holds only this watcher's part of the live traffic.
     */
    FleetTable(String group, String share) {
        this.group = group;
        this.share = share;
    }

    record Row(String gateway, String state, long version, String lastAck, String health, List<String> groups) {
    }

    synchronized void status(GatewayStatus s) {
        Row old = rows.get(s.gateway());
        String health = !s.online() ? "-" : s.notUp().isEmpty() ? "ok" : String.join(", ", s.notUp());
        List<String> groups = s.online() ? s.groups() : old == null ? List.of() : old.groups();
        long version = s.online() ? s.policyVersion() : old == null ? 0 : old.version();
        rows.put(s.gateway(), new Row(s.gateway(), s.online() ? "online" : "offline", version,
                old == null ? "-" : old.lastAck(), health, groups));
    }

    synchronized void ack(PolicyAck a) {
        Row old = rows.get(a.gateway());
        String ack = a.result() + " v" + a.version();
        rows.put(a.gateway(), old == null ? new Row(a.gateway(), "?", 0, ack, "-", List.of())
                : new Row(old.gateway(), old.state(), old.version(), ack, old.health(), old.groups()));
    }

    synchronized String render() {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"GATEWAY", "STATE", "POLICY", "LAST ACK", "HEALTH"});
        int online = 0;
        int shown = 0;
        for (Row r : rows.values()) {
            if (group != null && !r.groups().contains(group)) {
                continue;
            }
            shown++;
            online += r.state().equals("online") ? 1 : 0;
            lines.add(new String[] {r.gateway(), r.state(), r.version() == 0 ? "-" : "v" + r.version(), r.lastAck(), r.health()});
        }
        int[] width = new int[5];
        for (String[] l : lines) {
            for (int i = 0; i < 5; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] l : lines) {
            for (int i = 0; i < 5; i++) {
                b.append(i == 4 ? l[i] : String.format("%-" + width[i] + "s  ", l[i]));
            }
            b.append('\n');
        }
        b.append(shown).append(" gateways, ").append(online).append(" online").append(group == null ? "" : " in group " + group).append('\n');
        if (share != null) {
            b.append("share group ").append(share).append(": this watcher's share of the messages since it started (no retained statuses)\n");
        }
        return b.toString();
    }
}
