package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** 27.007 packet domain commands: {@code +CGDCONT}, {@code +CGACT}, {@code +CGPADDR}. */
final class PacketDataCommands implements CommandHandler.Group {

    private static final Set<String> PDP_TYPES = Set.of("IP", "IPV6", "IPV4V6", "PPP", "NON-IP");
    private static final int MAX_CID = 16;

    private final SimulatedModem modem;
    private final ModemState s;

    PacketDataCommands(SimulatedModem modem) {
        this.modem = modem;
        this.s = modem.state();
    }

    @Override
    public void register(Map<String, CommandHandler> t) {
        t.put("+CGDCONT", this::cgdcont);
        t.put("+CGACT", this::cgact);
        t.put("+CGPADDR", this::cgpaddr);
    }

    private AtResponse cgdcont(AtCommand c) {
        PacketData pd = s.packetData();
        switch (c.kind()) {
            case READ -> {
                List<String> lines = new ArrayList<>();
                for (PacketData.Context ctx : pd.contexts().values()) {
                    lines.add("+CGDCONT: " + ctx.cid() + ",\"" + ctx.type() + "\",\"" + ctx.apn()
                            + "\",\"0.0.0.0\",0,0,0,0");
                }
                return AtResponse.ok(lines);
            }
            case TEST -> {
                List<String> lines = new ArrayList<>();
                for (String type : List.of("IP", "PPP", "IPV6", "IPV4V6")) {
                    lines.add("+CGDCONT: (1-" + MAX_CID + "),\"" + type + "\",,,(0-2),(0-4),(0,1),(0,1)");
                }
                return AtResponse.ok(lines);
            }
            case EXEC -> {
                return AtResponse.error();
            }
            default -> {
                int cid = c.intParam(0);
                if (cid < 1 || cid > MAX_CID) {
                    return AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                if (c.params().size() == 1) {
                    pd.deactivate(cid);
                    pd.contexts().remove(cid);
                    return AtResponse.ok();
                }
                String type = c.param(1) == null ? "IP" : c.param(1).toUpperCase(java.util.Locale.ROOT);
                if (!PDP_TYPES.contains(type)) {
                    return AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                String apn = c.param(2) == null ? "" : c.param(2);
                pd.contexts().put(cid, new PacketData.Context(cid, type, apn));
                return AtResponse.ok();
            }
        }
    }

    private AtResponse cgact(AtCommand c) {
        PacketData pd = s.packetData();
        switch (c.kind()) {
            case READ -> {
                List<String> lines = new ArrayList<>();
                for (int cid : pd.contexts().keySet()) {
                    lines.add("+CGACT: " + cid + "," + (pd.active().contains(cid) ? 1 : 0));
                }
                return AtResponse.ok(lines);
            }
            case TEST -> {
                return AtResponse.ok("+CGACT: (0,1)");
            }
            case EXEC -> {
                return AtResponse.error();
            }
            default -> {
                int state = c.intParam(0);
                List<Integer> cids = new ArrayList<>();
                for (int i = 1; i < c.params().size(); i++) {
                    cids.add(c.intParam(i));
                }
                if (cids.isEmpty()) {
                    cids.addAll(pd.contexts().keySet());
                }
                if (state == 0) {
                    cids.forEach(pd::deactivate);
                    return AtResponse.ok();
                }
                if (state != 1) {
                    return AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                return activate(pd, cids);
            }
        }
    }

    private AtResponse activate(PacketData pd, List<Integer> cids) {
        AtResponse guard = CommandHandler.simGuard(s);
        if (guard != null) {
            return guard;
        }
        if (!modem.effectiveRegistration().registered()) {
            return AtResponse.cme(CmeError.NO_NETWORK_SERVICE);
        }
        for (int cid : cids) {
            PacketData.Context ctx = pd.contexts().get(cid);
            if (ctx == null) {
                return AtResponse.cme(CmeError.OPERATION_NOT_ALLOWED);
            }
            if (!pd.allows(ctx.apn())) {
                // the network rejects the PDN connection with ESM cause #33
                return AtResponse.cme(CmeError.SERVICE_OPTION_NOT_SUBSCRIBED);
            }
        }
        cids.forEach(pd::activate);
        return AtResponse.ok();
    }

    private AtResponse cgpaddr(AtCommand c) {
        PacketData pd = s.packetData();
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok("+CGPADDR: (" + String.join(",", pd.active().stream().map(String::valueOf).toList())
                    + ")");
        }
        List<Integer> cids = new ArrayList<>();
        if (c.kind() == AtCommand.Kind.SET) {
            for (int i = 0; i < c.params().size(); i++) {
                cids.add(c.intParam(i));
            }
        } else {
            cids.addAll(pd.contexts().keySet());
        }
        // SIMCom prints the address bare; 27.007, Quectel and u-blox quote it
        boolean quoted = modem.vendor().family() != Vendor.Family.SIMCOM;
        List<String> lines = new ArrayList<>();
        for (int cid : cids) {
            if (!pd.contexts().containsKey(cid)) {
                return AtResponse.cme(CmeError.OPERATION_NOT_ALLOWED);
            }
            String address = pd.active().contains(cid) ? pd.address() : "0.0.0.0";
            lines.add("+CGPADDR: " + cid + "," + (quoted ? "\"" + address + "\"" : address));
        }
        return AtResponse.ok(lines);
    }
}
