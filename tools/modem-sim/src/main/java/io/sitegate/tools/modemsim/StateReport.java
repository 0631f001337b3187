package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.List;

/** A readable {@code key=value} dump of the module state for the control channel and logs. */
final class StateReport {

    private StateReport() {
    }

    static List<String> lines(SimulatedModem modem) {
        synchronized (modem) {
            ModemState s = modem.state();
            Registration.View v = modem.effectiveRegistration();
            PacketData pd = s.packetData();
            List<String> out = new ArrayList<>();
            out.add("vendor=" + modem.vendor().id());
            out.add("imei=" + s.imei() + " imsi=" + s.imsi() + " iccid=" + s.iccid());
            out.add("sim=" + s.sim() + " cfun=" + s.cfun() + " echo=" + s.echo() + " cmee=" + s.cmee());
            out.add("reg=" + v.stat() + " act=" + v.act() + " area=" + v.area() + " ci=" + v.cellId() + " oper="
                    + v.plmn() + " name=" + v.name());
            out.add("rat=" + s.ratPreferences());
            out.add("contexts=" + pd.contexts().values() + " active=" + pd.active() + " apn-allowed="
                    + (pd.allowedApns().isEmpty() ? "any" : pd.allowedApns()));
            out.add("counters sent=" + pd.counters().sent() + " received=" + pd.counters().received());
            out.add("sms stored=" + s.sms().used() + " sent=" + s.sms().outbox().size());
            return out;
        }
    }
}
