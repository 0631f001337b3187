package io.sitegate.modem.internal.service;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sitegate.modem.internal.transport.Transports;
import io.sitegate.tools.modemsim.ModemSimulator;
import io.sitegate.tools.modemsim.TcpEndpoint;
import io.sitegate.tools.modemsim.Vendor;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Measures what a modem that refuses costs: the keeper against a simulated EC25 whose {@code ATE0} answers
 * {@code +CME ERROR: 3}, with the shipped back-off (2 s doubling to 300 s), for {@code sitegate.bench.seconds}
 * (default 60). Prints AT commands per second received by the modem and the CPU the JVM used. Runs only with
 * {@code -Dsitegate.bench=true} (tools/bench/modem-refusing.sh).
 */
class RefusingModemBench {

    @Test
    void refusingModem() throws Exception {
        assumeTrue(Boolean.getBoolean("sitegate.bench"), "benchmark: run with -Dsitegate.bench=true");
        int seconds = Integer.getInteger("sitegate.bench.seconds", 60);
        String fault = System.getProperty("sitegate.bench.fault", "fault cme ATE0 3");
        TcpEndpoint endpoint = new TcpEndpoint(0);
        try (ModemSimulator sim = new ModemSimulator(Vendor.QUECTEL_EC25, endpoint)) {
            sim.apply("set sim present");
            sim.apply(fault);
            sim.start();
            Map<String, Object> props = new HashMap<>();
            props.put("service.pid", "io.sitegate.modem~wan0");
            props.put("port", "tcp://127.0.0.1:" + endpoint.port());
            props.put("apn", "internet.test");
            ModemSettings settings = ModemSettings.from(props, new MemorySecretStore());
            ConnectionKeeper keeper = new ConnectionKeeper(settings, () -> Transports.fromPort(settings.port()),
                    new RecordingEnvironment(), Clock.systemUTC(), new Random(), new UsageLedger());
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            keeper.start();
            Thread.sleep(seconds * 1000L);
            long cpu = os.getProcessCpuTime() - cpu0;
            double wall = (System.nanoTime() - t0) / 1e9;
            int commands = sim.journal().commands().size();
            String reason = keeper.status().reason();
            keeper.stop();
            System.out.printf("refusing modem (%s), %.0f s: %d AT commands = %.2f/s; JVM CPU %.2f s = %.2f %% of one core; state: %s%n",
                    fault, wall, commands, commands / wall, cpu / 1e9, 100.0 * cpu / 1e9 / wall, reason);
        }
    }
}
