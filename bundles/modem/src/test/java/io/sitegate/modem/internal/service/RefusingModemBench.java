package io.sitegate.modem.internal.service;

import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.internal.transport.Transports;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The connection keeper alone in a plain JVM, against a modem simulator started elsewhere (see
 * {@code tools/bench/modem-refusing.sh}), with the production defaults for polling and back-off unless
 * given. Prints the status every few seconds so the run shows what a technician would read.
 *
 * <pre>java ... RefusingModemBench tcp://127.0.0.1:PORT SECONDS [key=value ...]</pre>
 */
public final class RefusingModemBench {

    private RefusingModemBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: RefusingModemBench tcp://127.0.0.1:PORT SECONDS [modem property=value ...]");
            System.exit(2);
        }
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", "io.sitegate.modem~bench0");
        props.put("port", args[0]);
        props.put("apn", "internet.test");
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            props.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        ModemSettings settings = ModemSettings.from(props);
        Duration run = Duration.ofSeconds(Long.parseLong(args[1]));
        ConnectionKeeper keeper = new ConnectionKeeper(settings, () -> Transports.fromPort(settings.port()),
                new RecordingEnvironment(), Clock.systemUTC(), new SecureRandom(), new UsageLedger());
        keeper.start();
        long end = System.nanoTime() + run.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            ModemStatus s = keeper.status();
            String now = s.link() + " " + s.session() + " " + s.reason();
            if (!now.equals(last)) {
                System.out.println("status: " + now);
                last = now;
            }
        }
        keeper.stop();
        System.out.println("final status: " + keeper.status().link() + " " + keeper.status().session() + " "
                + keeper.status().reason());
    }
}
