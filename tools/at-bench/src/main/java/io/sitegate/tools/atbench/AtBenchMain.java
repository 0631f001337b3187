package io.sitegate.tools.atbench;

import io.sitegate.tools.modemsim.ModemSimulator;
import io.sitegate.tools.modemsim.PtyEndpoint;
import io.sitegate.tools.modemsim.Vendor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * AT command overhead over a real pty: {@code AT} → {@code OK} round trips through Sitegate's modem stack
 * and through a bare read/write loop, to the same in-process simulator over the same socat pty pair, in
 * alternating blocks of one run.
 */
public final class AtBenchMain {

    private static final String USAGE = """
            usage: java -jar sitegate-at-bench.jar [options]
              --rounds N     measured round trips per mode (default 20000)
              --warmup N     round trips per mode before measuring, discarded (default 2000)
              --blocks N     blocks per mode; the modes alternate block by block (default 20)
              --vendor ID    simulator dialect (default generic)
              --no-diag      skip the diagnostic 'transport' mode (SerialTransport without AtSession)
              --dir DIR      where the socat links, socat.pid and socat.log go (default: a new temp dir)
              --out FILE     result file (default <jar dir>/at-bench/result.txt, i.e. target/at-bench/result.txt)
              --socat PATH   socat binary (default socat)
            """;

    /** Target from DESIGN.md "Performance and footprint targets". */
    private static final long TARGET_P99_OVERHEAD_NANOS = 2_000_000;

    private static volatile long progress;
    private static volatile String phase = "start";

    private AtBenchMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("at-bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("at-bench: failed in " + phase + ": " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static int run(String[] args) throws Exception {
        int rounds = 20_000;
        int warmup = 2_000;
        int blocks = 20;
        String vendor = "generic";
        boolean diag = true;
        Path dir = null;
        Path out = null;
        String socat = "socat";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--rounds" -> rounds = positive(a, value(args, ++i, a));
                case "--warmup" -> warmup = nonNegative(a, value(args, ++i, a));
                case "--blocks" -> blocks = positive(a, value(args, ++i, a));
                case "--vendor" -> vendor = value(args, ++i, a);
                case "--no-diag" -> diag = false;
                case "--dir" -> dir = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--socat" -> socat = value(args, ++i, a);
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (blocks > rounds) {
            throw new IllegalArgumentException("--blocks larger than --rounds");
        }
        Vendor dialect = Vendor.byId(vendor);
        boolean ownDir = dir == null;
        if (ownDir) {
            dir = Files.createTempDirectory("at-bench-");
        }
        if (out == null) {
            out = defaultOut();
        }
        // the simulator logs through System.Logger (JUL here): keep its per-connection lines off the report
        Logger.getLogger("").setLevel(Level.WARNING);
        for (var h : Logger.getLogger("").getHandlers()) {
            h.setLevel(Level.WARNING);
        }

        try {
            return benchmark(socat, dir, dialect, rounds, warmup, blocks, diag, out);
        } finally {
            if (ownDir) {
                Files.deleteIfExists(dir.resolve("socat.log"));
                Files.deleteIfExists(dir);
            }
        }
    }

    private static int benchmark(String socat, Path dir, Vendor dialect, int rounds, int warmup, int blocks,
            boolean diag, Path out) throws Exception {
        String loadBefore = loadAverage();
        phase = "socat";
        try (SocatPair pair = SocatPair.start(socat, dir);
             RandomAccessFile keeper = new RandomAccessFile(pair.host().toFile(), "rw")) {
            phase = "simulator";
            ModemSimulator sim = new ModemSimulator(dialect, new PtyEndpoint(pair.modem()));
            sim.start();
            try {
                String port = pair.host().toString();
                List<RoundTrip> modes = new ArrayList<>();
                modes.add(new SitegateRoundTrip(port));
                modes.add(new BaselineRoundTrip(pair.host(), keeper));
                if (diag) {
                    modes.add(new TransportRoundTrip(port));
                }
                startWatchdog();
                Result result = measure(modes, rounds, warmup, blocks);
                String loadAfter = loadAverage();
                String report = report(result, modes, rounds, warmup, blocks, dialect, pair, loadBefore, loadAfter);
                System.out.print(report);
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, report, StandardCharsets.UTF_8);
                System.out.println("written to " + out.toAbsolutePath());
                return 0;
            } finally {
                phase = "shutdown";
                sim.close();
            }
        }
    }

    private record Result(long[][] samples, long[][][] perBlock, long gcCount, long gcMillis, double seconds) {
    }

    private static Result measure(List<RoundTrip> modes, int rounds, int warmup, int blocks) throws Exception {
        int m = modes.size();
        if (warmup > 0) {
            for (RoundTrip mode : modes) {
                phase = "warm-up " + mode.name();
                mode.open();
                for (int i = 0; i < warmup; i++) {
                    mode.roundTrip();
                    progress++;
                }
                mode.close();
            }
        }
        long[][] samples = new long[m][rounds];
        long[][][] perBlock = new long[m][blocks][];
        int[] filled = new int[m];
        long gc0 = gcCount();
        long gcMs0 = gcMillis();
        long t0 = System.nanoTime();
        for (int b = 0; b < blocks; b++) {
            int size = rounds / blocks + (b < rounds % blocks ? 1 : 0);
            for (int k = 0; k < m; k++) {
                int idx = (k + b) % m; // rotate the order so no mode always follows the same one
                RoundTrip mode = modes.get(idx);
                phase = "block " + (b + 1) + " " + mode.name();
                mode.open();
                long[] s = samples[idx];
                int from = filled[idx];
                for (int i = 0; i < size; i++) {
                    long start = System.nanoTime();
                    mode.roundTrip();
                    s[from + i] = System.nanoTime() - start;
                    progress++;
                }
                mode.close();
                perBlock[idx][b] = java.util.Arrays.copyOfRange(s, from, from + size);
                filled[idx] = from + size;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        phase = "report";
        return new Result(samples, perBlock, gcCount() - gc0, gcMillis() - gcMs0, seconds);
    }

    private static String report(Result r, List<RoundTrip> modes, int rounds, int warmup, int blocks,
            Vendor vendor, SocatPair pair, String loadBefore, String loadAfter) {
        StringBuilder sb = new StringBuilder();
        sb.append("Sitegate AT command overhead over a pty (socat pair, in-process modem simulator '")
                .append(vendor.id()).append("')\n");
        sb.append(String.format(Locale.ROOT, "%s  JDK %s  %d CPUs  load avg before %s, after %s%n", Instant.now(),
                Runtime.version(), Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter));
        sb.append(String.format(Locale.ROOT,
                "%d round trips AT->OK per mode in %d alternating blocks, after %d warm-up each; %.1f s measuring, "
                        + "GC %d collections / %d ms%n%n", rounds, blocks, warmup, r.seconds(), r.gcCount(), r.gcMillis()));
        sb.append(String.format(Locale.ROOT, "%-10s %7s %9s %9s %9s %9s %9s %9s   (microseconds)%n", "mode", "n", "mean",
                "p50", "p90", "p99", "p99.9", "max"));
        LatencyStats[] stats = new LatencyStats[modes.size()];
        for (int i = 0; i < modes.size(); i++) {
            stats[i] = new LatencyStats(r.samples()[i], rounds);
            sb.append(String.format(Locale.ROOT, "%-10s %7d %9.1f", modes.get(i).name(), rounds, stats[i].mean() / 1000));
            for (double level : LatencyStats.LEVELS) {
                sb.append(String.format(Locale.ROOT, " %9s", LatencyStats.us(stats[i].percentile(level))));
            }
            sb.append('\n');
        }
        LatencyStats sg = stats[0];
        LatencyStats base = stats[1];
        sb.append('\n');
        sb.append(overheadLine("sitegate - baseline", sg, base));
        if (stats.length > 2) {
            sb.append(overheadLine("  of which transport - baseline (jSerialComm)", stats[2], base));
            sb.append(overheadLine("  of which sitegate - transport (AtSession)", sg, stats[2]));
        }
        sb.append(String.format(Locale.ROOT, "ratio sitegate / baseline: p50 %.2fx, p99 %.2fx%n",
                ratio(sg.percentile(0.5), base.percentile(0.5)), ratio(sg.percentile(0.99), base.percentile(0.99))));
        long p99over = sg.percentile(0.99) - base.percentile(0.99);
        sb.append(String.format(Locale.ROOT, "target (DESIGN.md): overhead at p99 < 2000 us: %s (%s us)%n",
                p99over < TARGET_P99_OVERHEAD_NANOS ? "PASS" : "FAIL", LatencyStats.us(p99over)));
        sb.append("(overheads are differences of the percentiles, not percentiles of differences)\n");
        sb.append(blockOverheadLine(r.perBlock()[0], r.perBlock()[1], 0.5));
        sb.append(blockOverheadLine(r.perBlock()[0], r.perBlock()[1], 0.99));
        sb.append('\n');
        sb.append("per block p50 / p99 (us), in run order of the blocks:\n");
        for (int i = 0; i < modes.size(); i++) {
            sb.append(String.format(Locale.ROOT, "  %-10s", modes.get(i).name()));
            long[][] blocksOf = r.perBlock()[i];
            for (int b = 0; b < blocksOf.length; b++) {
                if (b > 0 && b % 10 == 0) {
                    sb.append(String.format(Locale.ROOT, "%n  %-10s", ""));
                }
                LatencyStats bs = new LatencyStats(blocksOf[b], blocksOf[b].length);
                sb.append(String.format(Locale.ROOT, "  %s/%s", LatencyStats.us(bs.percentile(0.5)),
                        LatencyStats.us(bs.percentile(0.99))));
            }
            sb.append('\n');
        }
        sb.append("\nmodes:\n");
        for (RoundTrip mode : modes) {
            sb.append(String.format(Locale.ROOT, "  %-10s %s%n", mode.name(), mode.description()));
        }
        sb.append("  pty: ").append(pair.host()).append(" (host) <-> ").append(pair.modem()).append(" (simulator)\n");
        return sb.toString();
    }

    private static String overheadLine(String label, LatencyStats a, LatencyStats b) {
        return String.format(Locale.ROOT, "overhead %-46s p50 %+9.1f us   p99 %+9.1f us%n", label + ":",
                (a.percentile(0.5) - b.percentile(0.5)) / 1000.0, (a.percentile(0.99) - b.percentile(0.99)) / 1000.0);
    }

    /** Sitegate vs. baseline block by block (adjacent in time, so a load burst hits both alike). */
    private static String blockOverheadLine(long[][] sitegate, long[][] baseline, double level) {
        long[] d = new long[sitegate.length];
        for (int b = 0; b < d.length; b++) {
            d[b] = new LatencyStats(sitegate[b], sitegate[b].length).percentile(level)
                    - new LatencyStats(baseline[b], baseline[b].length).percentile(level);
        }
        LatencyStats ds = new LatencyStats(d, d.length);
        return String.format(Locale.ROOT, "per-block overhead at %-4s (sitegate - baseline, same block): median %+.1f us,"
                + " range %+.1f .. %+.1f us over %d blocks%n", level == 0.5 ? "p50" : "p99",
                ds.percentile(0.5) / 1000.0, ds.percentile(1e-9) / 1000.0, ds.percentile(1.0) / 1000.0, d.length);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    /** Fails the run when no round trip completes for 15 s (a lost reply would otherwise hang the bench). */
    private static void startWatchdog() {
        Thread t = new Thread(() -> {
            long last = -1;
            long since = System.nanoTime();
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                long p = progress;
                if (p != last) {
                    last = p;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since > 15_000_000_000L && !phase.equals("report")) {
                    System.err.println("at-bench: no progress for 15 s in " + phase + ", giving up");
                    System.exit(3); // the shutdown hook ends socat
                }
            }
        }, "at-bench-watchdog");
        t.setDaemon(true);
        t.start();
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static Path defaultOut() {
        try {
            Path code = Path.of(AtBenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = code.getParent(); // target/sitegate-at-bench.jar or target/classes
            return target.resolve("at-bench").resolve("result.txt");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "at-bench", "result.txt");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String v) {
        int n = nonNegative(option, v);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be > 0");
        }
        return n;
    }

    private static int nonNegative(String option, String v) {
        try {
            int n = Integer.parseInt(v.replace("_", ""));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a non-negative number, got '" + v + "'");
        }
    }
}
