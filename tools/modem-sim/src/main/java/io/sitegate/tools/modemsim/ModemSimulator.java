package io.sitegate.tools.modemsim;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The simulator: a {@link SimulatedModem} served over a {@link ModemEndpoint}, one connection at a time,
 * driven by scenarios (script, control channel or {@link #apply(String)} from a test). Runs on daemon
 * threads; {@link #close()} stops everything, including a socat child.
 */
public final class ModemSimulator implements Closeable {

    private static final System.Logger LOG = System.getLogger(ModemSimulator.class.getName());

    private final ModemEndpoint endpoint;
    private final CommandJournal journal;
    private volatile DataPath dataPath;
    private volatile java.util.function.Consumer<Boolean> dataHook;
    private volatile boolean unplugged;
    private final FaultPlan faults = new FaultPlan();
    private final ScheduledExecutorService scheduler;
    private final SimulatedModem modem;
    private final AtInterpreter interpreter;
    private final Random random = new Random(42);
    private volatile ModemLink link;
    private volatile Connection connection;
    private volatile boolean bootPending = true;
    private volatile boolean booted;
    private volatile boolean running;
    private Thread acceptor;

    /**
     * @param vendor    dialect to speak
     * @param endpoint  where the host connects
     * @param journal   where received commands are recorded
     * @param nanoClock monotonic clock for data counters ({@code System::nanoTime} outside tests)
     */
    public ModemSimulator(Vendor vendor, ModemEndpoint endpoint, CommandJournal journal, LongSupplier nanoClock) {
        this.endpoint = endpoint;
        this.journal = journal;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "modem-scenario"));
        this.modem = new SimulatedModem(vendor, new ModemState(vendor, nanoClock), this::emit, scheduler);
        this.interpreter = new AtInterpreter(modem);
    }

    /** A simulator with an in-memory journal and the system clock. */
    public ModemSimulator(Vendor vendor, ModemEndpoint endpoint) {
        this(vendor, endpoint, new CommandJournal(), System::nanoTime);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts accepting the host. */
    public synchronized void start() {
        running = true;
        // the initial state is read (and told to the hook) before the host can connect; transitions are journalled
        dataPath = new DataPath(() -> !unplugged && DataPath.open(modem), journal, dataHook, 100);
        acceptor = daemon(this::serve, "modem-acceptor");
        acceptor.start();
        LOG.log(System.Logger.Level.INFO, "{0} modem on {1}", modem.vendor().id(), endpoint.describe());
    }

    public SimulatedModem modem() {
        return modem;
    }

    public CommandJournal journal() {
        return journal;
    }

    public FaultPlan faults() {
        return faults;
    }

    /** Applies one scenario line now (its {@code after} delays count from now). */
    public void apply(String line) throws ScenarioException {
        Scenario.Step step = ScenarioParser.parseLine(line, "control", 1);
        if (step != null) {
            run(new Scenario(java.util.List.of(step)));
        }
    }

    /** Loads and runs a script file; immediate statements are applied before this returns. */
    public void runScript(Path file) throws IOException, ScenarioException {
        run(ScenarioParser.parse(Files.readString(file), file.getFileName().toString()));
    }

    /** Runs a parsed scenario: immediate steps now, in order; delayed steps on the scenario thread. */
    public void run(Scenario scenario) {
        for (Scenario.Step step : scenario.steps()) {
            if (step.delay().isZero()) {
                execute(step);
            } else {
                scheduler.schedule(() -> execute(step), step.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void execute(Scenario.Step step) {
        try {
            step.action().apply(this);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "scenario line {0} failed: {1}", step.line(), e.toString());
        }
        checkDataPath();
    }

    /** Looks whether the data path opened or closed (after an AT command, a scenario statement, a fault). */
    void checkDataPath() {
        DataPath d = dataPath;
        if (d != null) {
            d.check();
        }
    }

    private void serve() {
        while (running) {
            try {
                attach(endpoint.accept());
            } catch (IOException e) {
                if (running) {
                    LOG.log(System.Logger.Level.DEBUG, "accept failed: {0}", e.getMessage());
                    sleepQuietly(200);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void attach(Connection c) {
        Connection previous = connection;
        if (previous != null) {
            previous.close(); // a new host replaces the old one
        }
        ModemLink l = new ModemLink(c);
        AtSession session = new AtSession(modem, interpreter, journal, faults, l, this::checkDataPath);
        connection = c;
        link = l;
        unplugged = false;
        LOG.log(System.Logger.Level.INFO, "host connected: {0}", c);
        if (bootPending) {
            bootPending = false;
            // queued before any answer: the module booted before the host spoke
            if (booted) {
                modem.powerOn();
            } else {
                booted = true;
                modem.announceBoot();
            }
        }
        daemon(() -> readLoop(c, l, session), "modem-reader").start();
    }

    private void readLoop(Connection c, ModemLink l, AtSession session) {
        byte[] buffer = new byte[1024];
        try {
            InputStream in = c.in();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                session.receive(buffer, n);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "read from {0} ended: {1}", c, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            c.close();
            l.close();
            if (link == l) {
                link = null;
            }
            LOG.log(System.Logger.Level.INFO, "host disconnected: {0}", c);
        }
    }

    private void emit(String urc) {
        ModemLink l = link;
        if (l != null) {
            l.urc(urc);
        }
    }

    /**
     * Sets what is told when the data path opens or closes ({@code --data-hook}: {@link DataPath#command(Path)});
     * give it before {@link #start()}, which tells it the initial state.
     */
    public void dataHook(java.util.function.Consumer<Boolean> hook) {
        this.dataHook = hook;
    }

    /** @return "up" or "down" ("unknown" before {@link #start()}) */
    public String dataPathState() {
        DataPath d = dataPath;
        return d == null ? "unknown" : d.state();
    }

    /**
     * Fault: pulls the cable; the port comes back after the downtime and the module boots again. The module loses
     * power with its USB port: its PDP contexts are gone, and no data flows until a host is attached again (and
     * activates a context).
     */
    public void unplug(Duration downtime) throws IOException {
        LOG.log(System.Logger.Level.INFO, "unplugged for {0} ms", downtime.toMillis());
        unplugged = true;
        synchronized (modem) {
            modem.state().packetData().deactivateAll();
        }
        checkDataPath();
        bootPending = true;
        endpoint.unplug(downtime);
        Connection c = connection;
        if (c != null) {
            c.close();
        }
    }

    /** Fault: writes random bytes to the host now. */
    public void garbage(int count) {
        ModemLink l = link;
        if (l != null) {
            byte[] bytes = new byte[count];
            random.nextBytes(bytes);
            l.send(bytes);
        }
    }

    /** Fault: writes a URC {@code count} times as fast as the host reads, on a thread of its own. */
    public void urcStorm(int count, String urc) {
        ModemLink l = link;
        if (l == null) {
            return;
        }
        byte[] frame = ModemLink.frame(urc);
        daemon(() -> {
            for (int i = 0; i < count && l.isOpen(); i++) {
                l.send(frame);
            }
        }, "modem-urc-storm").start();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        DataPath d = dataPath;
        if (d != null) {
            d.close();
        }
        scheduler.shutdownNow();
        if (acceptor != null) {
            acceptor.interrupt();
        }
        Connection c = connection;
        if (c != null) {
            c.close();
        }
        endpoint.close();
        journal.close();
    }
}
