package io.sitegate.tools.modemsim;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Command-line entry point: parses options, starts the simulator, stops it cleanly on SIGTERM/SIGINT. */
public final class ModemSimulatorMain {

    private ModemSimulatorMain() {
    }

    /** Runs until killed. Exit status 2 on bad usage, 1 on a start failure. */
    public static void main(String[] args) throws InterruptedException {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(SimulatorOptions.USAGE);
            return;
        }
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("modem-sim: " + e.getMessage());
            System.err.println(SimulatorOptions.USAGE);
            System.exit(2);
            return;
        }
        configureLogging(options.verbose());
        ModemSimulator simulator;
        ControlServer control = null;
        try {
            simulator = new ModemSimulator(options.vendor(), endpoint(options),
                    options.journal() == null ? new CommandJournal() : new CommandJournal(options.journal()),
                    System::nanoTime);
            if (options.script() != null) {
                simulator.runScript(options.script());
            }
            if (options.dataHook() != null) {
                simulator.dataHook(DataPath.command(options.dataHook()));
            }
            simulator.start();
            if (options.controlPort() >= 0) {
                control = new ControlServer(simulator, options.controlPort());
                System.err.println("modem-sim: control channel on 127.0.0.1:" + control.port());
            }
        } catch (IOException | ScenarioException e) {
            System.err.println("modem-sim: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ControlServer controlToClose = control;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (controlToClose != null) {
                    controlToClose.close();
                }
                simulator.close();
            } catch (IOException e) {
                System.err.println("modem-sim: shutdown: " + e.getMessage());
            }
            stopped.countDown();
        }, "modem-shutdown"));
        stopped.await();
    }

    private static ModemEndpoint endpoint(SimulatorOptions o) throws IOException {
        if (o.pty() != null) {
            return new PtyEndpoint(o.pty());
        }
        if (o.socatLink() != null) {
            SocatEndpoint socat = new SocatEndpoint(o.socatLink());
            System.err.println("modem-sim: gateway side is " + socat.hostLink());
            return socat;
        }
        TcpEndpoint tcp = new TcpEndpoint(o.tcpPort());
        System.err.println("modem-sim: listening on 127.0.0.1:" + tcp.port());
        return tcp;
    }

    private static void configureLogging(boolean verbose) {
        LogManager.getLogManager().reset();
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        Level level = verbose ? Level.FINE : Level.WARNING;
        handler.setLevel(level);
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        root.addHandler(handler);
    }
}
