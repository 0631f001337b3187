package io.sitegate.tools.modemsim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code set reg <stat> [act=<n>] [tac=<hex>|lac=<hex>] [ci=<hex>] [oper=<mccmnc>] [name="<long name>"]} and
 * {@code set networks <mccmnc>="<name>" ...}: the network side of registration. Changes raise the
 * registration URCs the host enabled.
 */
final class RegistrationStatement {

    private RegistrationStatement() {
    }

    static Scenario.Action parse(ScenarioTokens t, int at) {
        int stat = ScenarioParser.integer(ScenarioParser.require(t, at, "set reg needs a status 0..5"), 0, 5,
                "registration status");
        Map<String, String> kv = SetStatement.keyValues(t.from(at + 1),
                List.of("act", "tac", "lac", "ci", "oper", "name"), "set reg");
        Integer act = kv.containsKey("act") ? ScenarioParser.integer(kv.get("act"), 0, 13, "AcT") : null;
        String area = kv.containsKey("tac") ? kv.get("tac") : kv.get("lac");
        String ci = kv.get("ci");
        String oper = kv.get("oper");
        String name = kv.get("name");
        SetStatement.check(area == null || SetStatement.isHex(area), "tac/lac must be 1 to 8 hex digits");
        SetStatement.check(ci == null || SetStatement.isHex(ci), "ci must be 1 to 8 hex digits");
        SetStatement.check(oper == null || SetStatement.isPlmn(oper), "oper must be MCC+MNC, 5 or 6 digits");
        return sim -> sim.modem().update(s -> {
            Registration r = s.registration();
            r.stat(stat);
            if (act != null) {
                r.act(act);
            }
            if (area != null) {
                r.area(area.toUpperCase(Locale.ROOT));
            }
            if (ci != null) {
                r.cellId(ci.toUpperCase(Locale.ROOT));
            }
            if (oper != null) {
                r.plmn(oper);
                r.name(name != null ? name : r.visibleNetworks().getOrDefault(oper, oper));
            } else if (name != null) {
                r.name(name);
            }
            r.visibleNetworks().putIfAbsent(r.plmn(), r.name());
        });
    }

    static Scenario.Action networks(List<String> tokens) {
        SetStatement.check(!tokens.isEmpty(), "set networks needs <mccmnc>=\"<name>\" entries");
        Map<String, String> networks = new LinkedHashMap<>();
        for (String token : tokens) {
            int eq = token.indexOf('=');
            SetStatement.check(eq > 0 && SetStatement.isPlmn(token.substring(0, eq)),
                    "expected <mccmnc>=\"<name>\", got '" + token + "'");
            networks.put(token.substring(0, eq), AtCommand.unquote(token.substring(eq + 1)));
        }
        return sim -> sim.modem().update(s -> {
            s.registration().visibleNetworks().clear();
            s.registration().visibleNetworks().putAll(networks);
        });
    }
}
