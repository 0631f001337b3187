package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * 27.005 SMS commands in text mode: {@code +CMGF}, {@code +CNMI}, {@code +CPMS}, {@code +CMGS} (with the
 * {@code > } prompt and Ctrl-Z), {@code +CMGL}, {@code +CMGR}, {@code +CMGD}.
 */
final class SmsCommands implements CommandHandler.Group {

    private static final Set<String> STATUSES = Set.of("ALL", "REC UNREAD", "REC READ", "STO UNSENT", "STO SENT");

    private final SimulatedModem modem;
    private final ModemState s;
    private String pendingDestination;

    SmsCommands(SimulatedModem modem) {
        this.modem = modem;
        this.s = modem.state();
    }

    @Override
    public void register(Map<String, CommandHandler> t) {
        t.put("+CMGF", this::cmgf);
        t.put("+CNMI", this::cnmi);
        t.put("+CPMS", this::cpms);
        t.put("+CMGS", this::cmgs);
        t.put("+CMGL", this::cmgl);
        t.put("+CMGR", this::cmgr);
        t.put("+CMGD", this::cmgd);
    }

    private AtResponse cmgf(AtCommand c) {
        return switch (c.kind()) {
            case READ -> AtResponse.ok("+CMGF: " + (s.textMode() ? 1 : 0));
            case TEST -> AtResponse.ok("+CMGF: (0,1)");
            case EXEC -> {
                s.textMode(false);
                yield AtResponse.ok();
            }
            case SET -> {
                int mode = c.intParam(0);
                if (mode != 0 && mode != 1) {
                    yield AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                s.textMode(mode == 1);
                yield AtResponse.ok();
            }
        };
    }

    private AtResponse cnmi(AtCommand c) {
        return switch (c.kind()) {
            case READ -> AtResponse.ok("+CNMI: " + s.cnmi());
            case TEST -> AtResponse.ok("+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)");
            case SET -> {
                s.cnmi(c.args());
                yield AtResponse.ok();
            }
            case EXEC -> AtResponse.ok();
        };
    }

    private AtResponse cpms(AtCommand c) {
        int used = s.sms().used();
        String mem = "\"SM\"," + used + "," + s.sms().capacity();
        return switch (c.kind()) {
            case READ -> AtResponse.ok("+CPMS: " + mem + "," + mem + "," + mem);
            case TEST -> AtResponse.ok("+CPMS: (\"SM\"),(\"SM\"),(\"SM\")");
            default -> AtResponse.ok("+CPMS: " + used + "," + s.sms().capacity() + "," + used + ","
                    + s.sms().capacity() + "," + used + "," + s.sms().capacity());
        };
    }

    private static AtResponse smsSimGuard(ModemState s) {
        return switch (s.sim()) {
            case READY -> null;
            case ABSENT -> AtResponse.cms(310);
            case PIN_LOCKED -> AtResponse.cms(311);
            case PUK_LOCKED -> AtResponse.cms(316);
        };
    }

    private AtResponse cmgs(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok();
        }
        if (c.kind() != AtCommand.Kind.SET || c.param(0) == null) {
            return AtResponse.error();
        }
        AtResponse guard = smsSimGuard(s);
        if (guard != null) {
            return guard;
        }
        if (!modem.effectiveRegistration().registered()) {
            return AtResponse.cms(331);
        }
        pendingDestination = c.param(0);
        return AtResponse.prompt();
    }

    /** Ends the prompt: the text arrived with Ctrl-Z. */
    AtResponse completeSend(String text) {
        String to = pendingDestination;
        pendingDestination = null;
        if (to == null) {
            return AtResponse.error();
        }
        return AtResponse.ok("+CMGS: " + s.sms().send(to, text));
    }

    /** Ends the prompt without sending: ESC. */
    void cancelSend() {
        pendingDestination = null;
    }

    private AtResponse cmgl(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok("+CMGL: (\"REC UNREAD\",\"REC READ\",\"STO UNSENT\",\"STO SENT\",\"ALL\")");
        }
        AtResponse guard = smsSimGuard(s);
        if (guard != null) {
            return guard;
        }
        if (!s.textMode()) {
            return AtResponse.cms(302);
        }
        String status = c.kind() == AtCommand.Kind.SET ? c.param(0) : "REC UNREAD";
        if (status == null || !STATUSES.contains(status)) {
            return AtResponse.cms(302);
        }
        List<String> lines = new ArrayList<>();
        for (Object[] entry : s.sms().list(status)) {
            SmsStorage.Message m = (SmsStorage.Message) entry[1];
            lines.add("+CMGL: " + entry[0] + ",\"" + m.status() + "\",\"" + m.number() + "\",," + scts(m));
            lines.add(m.text());
        }
        return AtResponse.ok(lines);
    }

    private AtResponse cmgr(AtCommand c) {
        if (c.kind() != AtCommand.Kind.SET) {
            return c.kind() == AtCommand.Kind.TEST ? AtResponse.ok() : AtResponse.error();
        }
        AtResponse guard = smsSimGuard(s);
        if (guard != null) {
            return guard;
        }
        int index = c.intParam(0);
        if (index < 1 || index > s.sms().capacity()) {
            return AtResponse.cms(321);
        }
        SmsStorage.Message m = s.sms().read(index);
        if (m == null) {
            return AtResponse.ok();
        }
        return AtResponse.ok("+CMGR: \"" + m.status() + "\",\"" + m.number() + "\",," + scts(m), m.text());
    }

    private AtResponse cmgd(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok("+CMGD: (1-" + s.sms().capacity() + "),(0-4)");
        }
        if (c.kind() != AtCommand.Kind.SET) {
            return AtResponse.error();
        }
        int index = c.intParam(0);
        Integer flag = c.intParam(1);
        if (flag != null && flag == 4) {
            s.sms().deleteAll();
            return AtResponse.ok();
        }
        if (index < 1 || index > s.sms().capacity()) {
            return AtResponse.cms(321);
        }
        s.sms().delete(index);
        return AtResponse.ok();
    }

    private static String scts(SmsStorage.Message m) {
        return m.timestamp().isEmpty() ? "" : "\"" + m.timestamp() + "\"";
    }
}
