package io.sitegate.tools.modemsim;

import java.util.Map;

/**
 * V.250 basics and 27.007 identity and SIM commands: {@code AT}, {@code ATE}, {@code ATZ}, {@code ATI},
 * {@code +CGMI/+CGMM/+CGMR/+CGSN}, {@code +CIMI}, the vendor's ICCID command, {@code +CMEE}, {@code +CPIN}.
 */
final class GeneralCommands implements CommandHandler.Group {

    /** The PUK every simulated SIM accepts with {@code AT+CPIN=<puk>,<new pin>}. */
    static final String PUK = "12345678";

    private final SimulatedModem modem;
    private final ModemState s;

    GeneralCommands(SimulatedModem modem) {
        this.modem = modem;
        this.s = modem.state();
    }

    @Override
    public void register(Map<String, CommandHandler> t) {
        t.put("", c -> AtResponse.ok());
        t.put("E", this::echo);
        t.put("V", c -> "1".equals(c.args()) || c.args().isEmpty() ? AtResponse.ok() : AtResponse.error());
        t.put("Q", c -> AtResponse.ok());
        t.put("Z", this::restoreProfile);
        t.put("&F", this::restoreProfile);
        t.put("I", this::identification);
        CommandHandler manufacturer = c -> identity(c, s.manufacturer());
        CommandHandler model = c -> identity(c, s.model());
        CommandHandler revision = c -> identity(c, modem.vendor().revisionLine(s));
        CommandHandler imei = c -> identity(c, s.imei());
        t.put("+CGMI", manufacturer);
        t.put("+GMI", manufacturer);
        t.put("+CGMM", model);
        t.put("+GMM", model);
        t.put("+CGMR", revision);
        t.put("+GMR", revision);
        t.put("+CGSN", imei);
        t.put("+GSN", imei);
        t.put("+CIMI", this::imsi);
        t.put(modem.vendor().ccidCommand(), this::iccid);
        t.put("+CMEE", this::cmee);
        t.put("+CPIN", this::cpin);
    }

    private AtResponse echo(AtCommand c) {
        switch (c.args()) {
            case "", "0" -> s.echo(false);
            case "1" -> s.echo(true);
            default -> {
                return AtResponse.error();
            }
        }
        return AtResponse.ok();
    }

    private AtResponse restoreProfile(AtCommand c) {
        s.echo(true);
        s.cmee(modem.vendor().defaultCmee());
        return AtResponse.ok();
    }

    private AtResponse identification(AtCommand c) {
        if (c.args().isEmpty() || c.args().equals("0")) {
            return AtResponse.ok(modem.vendor().identification(s));
        }
        if (c.args().equals("9") && modem.vendor().family() == Vendor.Family.UBLOX) {
            return AtResponse.ok(s.revision().split(" ")[0] + ",A.02.00");
        }
        return AtResponse.error();
    }

    private static AtResponse identity(AtCommand c, String value) {
        return switch (c.kind()) {
            case EXEC -> AtResponse.ok(value);
            case TEST -> AtResponse.ok();
            default -> AtResponse.error();
        };
    }

    private AtResponse imsi(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok();
        }
        AtResponse guard = CommandHandler.simGuard(s);
        return guard != null ? guard : AtResponse.ok(s.imsi());
    }

    private AtResponse iccid(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok();
        }
        if (c.kind() != AtCommand.Kind.EXEC) {
            return AtResponse.error();
        }
        // the ICCID is readable before the PIN is entered
        if (s.sim() == SimStatus.ABSENT) {
            return AtResponse.cme(CmeError.SIM_NOT_INSERTED);
        }
        return AtResponse.ok(modem.vendor().ccidPrefix() + s.iccid());
    }

    private AtResponse cmee(AtCommand c) {
        return switch (c.kind()) {
            case READ -> AtResponse.ok("+CMEE: " + s.cmee());
            case TEST -> AtResponse.ok("+CMEE: (0-2)");
            case SET -> {
                int n = c.intParam(0);
                if (n < 0 || n > 2) {
                    yield AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                s.cmee(n);
                yield AtResponse.ok();
            }
            case EXEC -> {
                s.cmee(0);
                yield AtResponse.ok();
            }
        };
    }

    private AtResponse cpin(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok();
        }
        if (s.sim() == SimStatus.ABSENT) {
            return AtResponse.cme(CmeError.SIM_NOT_INSERTED);
        }
        if (c.kind() == AtCommand.Kind.READ) {
            return AtResponse.ok(switch (s.sim()) {
                case PIN_LOCKED -> "+CPIN: SIM PIN";
                case PUK_LOCKED -> "+CPIN: SIM PUK";
                default -> "+CPIN: READY";
            });
        }
        if (c.kind() != AtCommand.Kind.SET || c.param(0) == null) {
            return AtResponse.error();
        }
        return switch (s.sim()) {
            case READY -> AtResponse.cme(CmeError.OPERATION_NOT_ALLOWED);
            case PIN_LOCKED -> enterPin(c.param(0));
            case PUK_LOCKED -> enterPuk(c.param(0), c.param(1));
            case ABSENT -> AtResponse.cme(CmeError.SIM_NOT_INSERTED);
        };
    }

    private AtResponse enterPin(String pin) {
        if (!pin.equals(s.pin())) {
            s.pinAttemptsLeft(s.pinAttemptsLeft() - 1);
            if (s.pinAttemptsLeft() <= 0) {
                s.sim(SimStatus.PUK_LOCKED);
            }
            return AtResponse.cme(CmeError.INCORRECT_PASSWORD);
        }
        unlocked();
        return AtResponse.ok();
    }

    private AtResponse enterPuk(String puk, String newPin) {
        if (!PUK.equals(puk) || newPin == null) {
            return AtResponse.cme(CmeError.INCORRECT_PASSWORD);
        }
        s.pin(newPin);
        unlocked();
        return AtResponse.ok();
    }

    private void unlocked() {
        modem.urc("+CPIN: READY");
        if (modem.vendor().family() == Vendor.Family.QUECTEL) {
            modem.urc("+QIND: SMS DONE");
            modem.urc("+QIND: PB DONE");
        }
        modem.update(st -> {
            st.sim(SimStatus.READY);
            st.pinAttemptsLeft(3);
        });
    }
}
