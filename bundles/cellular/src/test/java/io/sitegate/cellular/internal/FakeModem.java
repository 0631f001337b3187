package io.sitegate.cellular.internal;

import io.sitegate.modem.AtResponse;
import io.sitegate.modem.Modem;
import io.sitegate.modem.ModemException;
import io.sitegate.modem.ModemIdentity;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.Rat;
import io.sitegate.modem.SmsMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A modem whose status the test sets and which records what it was asked to do. */
class FakeModem implements Modem {
    private final String id;
    volatile ModemStatus status;
    final List<String> calls = new ArrayList<>();
    final List<String> sms = new ArrayList<>();
    /** Call name (setRatOrder, selectOperator, setDnsServers, sendSms) to the exception it throws. */
    final Map<String, ModemException> failures = new HashMap<>();
    int reevaluations;

    FakeModem(String id, ModemStatus status) {
        this.id = id;
        this.status = status;
    }

    private void call(String name, String detail) throws ModemException {
        calls.add(name + " " + detail);
        ModemException e = failures.get(name);
        if (e != null) {
            throw e;
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ModemStatus status() {
        return status;
    }

    @Override
    public ModemIdentity readIdentity() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setRatOrder(List<Rat> order) throws ModemException {
        call("setRatOrder", order.toString());
    }

    @Override
    public void selectOperator(String plmn) throws ModemException {
        call("selectOperator", String.valueOf(plmn));
    }

    @Override
    public void setDnsServers(String primary, String secondary) throws ModemException {
        call("setDnsServers", primary + " " + secondary);
    }

    @Override
    public void connect() {
    }

    @Override
    public void disconnect() {
    }

    @Override
    public void setRadio(boolean on) {
    }

    @Override
    public int sendSms(String number, String text) throws ModemException {
        call("sendSms", number);
        sms.add(number + ": " + text);
        return sms.size();
    }

    @Override
    public List<SmsMessage> listSms() {
        return List.of();
    }

    @Override
    public void deleteSms(int index) {
    }

    @Override
    public AtResponse execute(String command, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void reevaluateGates() {
        reevaluations++;
    }
}
