package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * 27.007 network service commands: {@code +CREG/+CGREG/+CEREG}, {@code +COPS}, {@code +CFUN}, {@code +CSQ},
 * {@code +CESQ}, {@code +CGATT}.
 */
final class NetworkCommands implements CommandHandler.Group {

    private final SimulatedModem modem;
    private final ModemState s;

    NetworkCommands(SimulatedModem modem) {
        this.modem = modem;
        this.s = modem.state();
    }

    @Override
    public void register(Map<String, CommandHandler> t) {
        Registration r = s.registration();
        t.put("+CREG", c -> registration(c, "+CREG", r::cregMode, r::cregMode, 2));
        t.put("+CGREG", c -> registration(c, "+CGREG", r::cgregMode, r::cgregMode, 2));
        t.put("+CEREG", c -> registration(c, "+CEREG", r::ceregMode, r::ceregMode, 5));
        t.put("+COPS", this::cops);
        t.put("+CFUN", this::cfun);
        t.put("+CSQ", this::csq);
        t.put("+CESQ", this::cesq);
        t.put("+CGATT", this::cgatt);
    }

    private AtResponse registration(AtCommand c, String name, IntSupplier mode, IntConsumer setMode, int maxMode) {
        return switch (c.kind()) {
            case READ -> AtResponse.ok(RegistrationReports.read(name, mode.getAsInt(), modem.effectiveRegistration()));
            case TEST -> AtResponse.ok(name + ": (0-" + maxMode + ")");
            case SET, EXEC -> {
                int n = c.kind() == AtCommand.Kind.EXEC ? 0 : c.intParam(0);
                if (n < 0 || n > maxMode) {
                    yield AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                // modes above 2 add PSM timers and causes; the simulator reports them like mode 2
                setMode.accept(Math.min(n, 2));
                yield AtResponse.ok();
            }
        };
    }

    private AtResponse cops(AtCommand c) {
        Registration r = s.registration();
        return switch (c.kind()) {
            case READ -> AtResponse.ok(copsRead(r));
            case TEST -> copsScan(r);
            case SET -> copsSet(c, r);
            case EXEC -> AtResponse.ok();
        };
    }

    private String copsRead(Registration r) {
        Registration.View v = modem.effectiveRegistration();
        if (!v.registered()) {
            return "+COPS: " + r.copsMode();
        }
        String oper = switch (r.copsFormat()) {
            case 2 -> v.plmn();
            default -> v.name();
        };
        return "+COPS: " + r.copsMode() + "," + r.copsFormat() + ",\"" + oper + "\"," + v.act();
    }

    private AtResponse copsScan(Registration r) {
        AtResponse guard = CommandHandler.simGuard(s);
        if (guard != null) {
            return guard;
        }
        if (s.cfun() != 1) {
            return AtResponse.cme(CmeError.OPERATION_NOT_ALLOWED);
        }
        Registration.View v = modem.effectiveRegistration();
        List<String> entries = new ArrayList<>();
        for (Map.Entry<String, String> n : r.visibleNetworks().entrySet()) {
            int stat = v.registered() && n.getKey().equals(v.plmn()) ? 2 : 1;
            entries.add("(" + stat + ",\"" + n.getValue() + "\",\"" + n.getValue() + "\",\"" + n.getKey() + "\","
                    + r.act() + ")");
        }
        return AtResponse.ok("+COPS: " + String.join(",", entries) + ",,(0-4),(0-2)");
    }

    private AtResponse copsSet(AtCommand c, Registration r) {
        int mode = c.intParam(0);
        Integer format = c.intParam(1);
        String oper = c.param(2);
        if (format != null && (format < 0 || format > 2)) {
            return AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
        }
        switch (mode) {
            case 0, 2 -> modem.update(st -> {
                r.copsMode(mode);
                r.manualPlmn(null);
            });
            case 1, 4 -> {
                if (oper == null) {
                    return AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                String plmn = resolvePlmn(r, format == null ? 0 : format, oper);
                if (plmn == null) {
                    if (mode == 4) {
                        modem.update(st -> r.copsMode(0));
                        break;
                    }
                    return AtResponse.cme(CmeError.NO_NETWORK_SERVICE);
                }
                modem.update(st -> {
                    r.copsMode(1);
                    r.manualPlmn(plmn);
                });
            }
            case 3 -> { }
            default -> {
                return AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
            }
        }
        if (format != null) {
            r.copsFormat(format);
        }
        return AtResponse.ok();
    }

    private static String resolvePlmn(Registration r, int format, String oper) {
        if (format == 2) {
            return r.visibleNetworks().containsKey(oper) || oper.equals(r.plmn()) ? oper : null;
        }
        for (Map.Entry<String, String> n : r.visibleNetworks().entrySet()) {
            if (n.getValue().equalsIgnoreCase(oper)) {
                return n.getKey();
            }
        }
        return null;
    }

    private AtResponse cfun(AtCommand c) {
        return switch (c.kind()) {
            case READ -> AtResponse.ok("+CFUN: " + s.cfun());
            case TEST -> AtResponse.ok("+CFUN: (0,1,4),(0,1)");
            case EXEC -> AtResponse.error();
            case SET -> {
                int fun = c.intParam(0);
                Integer rst = c.intParam(1);
                if (fun != 0 && fun != 1 && fun != 4 || rst != null && rst != 0 && rst != 1) {
                    yield AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                if (rst != null && rst == 1) {
                    modem.reboot();
                } else {
                    modem.update(st -> st.cfun(fun));
                }
                yield AtResponse.ok();
            }
        };
    }

    private boolean radioUp() {
        return s.cfun() == 1 && modem.effectiveRegistration().registered();
    }

    private AtResponse csq(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok("+CSQ: (0-31,99),(0-7,99)");
        }
        SignalQuality q = s.signal();
        return AtResponse.ok(radioUp() ? "+CSQ: " + q.csqIndex() + "," + q.ber() : "+CSQ: 99,99");
    }

    private AtResponse cesq(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok("+CESQ: (0-63,99),(0-7,99),(0-96,255),(0-49,255),(0-34,255),(0-97,255)");
        }
        SignalQuality q = s.signal();
        if (!radioUp()) {
            return AtResponse.ok("+CESQ: 99,99,255,255,255,255");
        }
        if (s.registration().act() == 0 || s.registration().act() == 3) {
            int rxlev = Math.max(0, Math.min(63, q.rssiDbm() + 111));
            return AtResponse.ok("+CESQ: " + rxlev + "," + q.ber() + ",255,255,255,255");
        }
        return AtResponse.ok("+CESQ: 99,99,255,255," + q.cesqRsrq() + "," + q.cesqRsrp());
    }

    private AtResponse cgatt(AtCommand c) {
        return switch (c.kind()) {
            case READ -> AtResponse.ok("+CGATT: " + (modem.effectiveRegistration().registered() ? 1 : 0));
            case TEST -> AtResponse.ok("+CGATT: (0,1)");
            default -> AtResponse.ok();
        };
    }
}
