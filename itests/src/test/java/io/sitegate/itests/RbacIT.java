package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A look-only operator can only look. Every command the running distribution offers, in every scope, is run
 * over SSH as a viewer, without arguments and with some; each must be refused unless it is on the viewer
 * whitelist (the README's role table), and the whitelisted ones must change nothing. A command that a new
 * feature or bundle brings is run too, so this test fails by itself until someone decides who may run it.
 * The escalations tried by hand (scripting, redirection, piping, aliases, variables holding services) are
 * tried again here.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RbacIT extends SitegateTestSupport {

    /** What a viewer may run: the README's table, etc/org.apache.karaf.command.acl.*.cfg. */
    static final Set<String> VIEWER_WHITELIST = Set.of(
            "*:help",
            "bundle:list",
            "feature:list",
            "log:display",
            "sitegate:status",
            "sitegate:modem-list",
            "sitegate:modem-status",
            "sitegate:binding-status",
            "sitegate:quota-status",
            "sitegate:cellular-policy",
            "sitegate:dns-status",
            "sitegate:dns-lookup",
            "sitegate:dns-block-list",
            "sitegate:tunnel-list",
            "sitegate:tunnel-status",
            "sitegate:tunnel-log",
            "sitegate:policy-status",
            "sitegate:policy-history",
            "sitegate:mqtt-status",
            "sitegate:audit-list",
            "sitegate:audit-verify",
            "sitegate:filter-status",
            "sitegate:filter-rules",
            "sitegate:filter-test",
            "sitegate:access-list");

    /** Argument lists each command is tried with, besides none. */
    private static final List<String> ARGUMENTS = List.of("--help", "1 io.sitegate.core");

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void aViewerIsRefusedEveryCommandOffTheWhitelistAndTheWhitelistChangesNothing() throws Exception {
        // commands register as their bundles start: wait until Sitegate's are there and the count holds still
        await("Sitegate's commands registered", 60_000, () -> commandNames().containsAll(VIEWER_WHITELIST));
        Set<String> commands = commandNames();
        for (int stable = 0; stable < 3; ) {
            Thread.sleep(500);
            Set<String> now = commandNames();
            stable = now.equals(commands) ? stable + 1 : 0;
            commands = now;
        }
        assertTrue("the registry lists the distribution's commands: " + commands, commands.size() > 150);
        assertTrue("every whitelisted command exists: " + commands, commands.containsAll(VIEWER_WHITELIST));

        String before = GatewayFingerprint.of(context, configAdmin);
        Map<String, SshResult> results = runAsViewer(commands);
        List<String> problems = new ArrayList<>();
        int refused = 0;
        for (Map.Entry<String, SshResult> e : results.entrySet()) {
            String line = e.getKey();
            String command = line.split(" ")[0];
            String out = e.getValue().output();
            boolean wasRefused = out.contains("Command not found: " + command) || out.contains("Insufficient credentials");
            if (VIEWER_WHITELIST.contains(command)) {
                if (wasRefused) {
                    problems.add("whitelisted but refused: " + line + " -> " + out.strip());
                }
            } else if (wasRefused) {
                refused++;
            } else {
                problems.add("neither refused nor whitelisted: " + line + " -> exit " + e.getValue().exit() + ", " + out.strip());
            }
        }
        int threads = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
        System.out.println("RbacIT: " + commands.size() + " commands, " + results.size() + " viewer runs, " + refused
                + " refused, whitelist " + VIEWER_WHITELIST.size() + ", " + threads + " threads in the gateway after them");
        // Karaf 4.4.10 left every SSH command's shell session open, ~3 idle threads each for a minute: 600 commands
        // made ~2,000 threads, enough to stop SSH on a machine with a lower thread limit (KARAF-2513).
        assertTrue("threads stay bounded after " + results.size() + " SSH commands: " + threads, threads < 300);
        assertTrue(String.join("\n", problems), problems.isEmpty());
        assertEquals("the viewer's runs changed nothing", before, GatewayFingerprint.of(context, configAdmin));
    }

    @Test
    public void theWhitelistedCommandsWorkForAViewer() throws Exception {
        assertContains(asViewer("bundle:list -t 0 io.sitegate.core"), "Sitegate Core");
        assertContains(asViewer("feature:list -i"), "sitegate-core");
        assertContains(asViewer("sitegate:status"), "Ready:");
        assertContains(asViewer("log:display -n 5"), "");
        SshResult help = asViewer("help");
        assertContains(help, "bundle:list");
        assertFalse("help lists no command the viewer may not run: " + help.output(),
                help.output().contains("bundle:stop") || help.output().contains("shell:cat") || help.output().contains("config:edit"));
    }

    @Test
    public void scriptingCannotReachTheFramework() throws Exception {
        long bundles = context.getBundles().length;
        for (String attempt : List.of(
                "$.context bundles",
                "($.context getBundle 0) stop",
                "x = $.context ; $x bundles",
                "$.session get .context",
                "$.commandSession get .context",
                "(new java.io.File /etc/passwd) exists",
                "((($.context getBundle 0) getClass) getClassLoader) loadClass java.lang.Runtime",
                "new java.lang.ProcessBuilder id")) {
            SshResult r = asViewer(attempt);
            assertRefused(attempt, r);
            assertFalse(attempt + " -> " + r.output(), r.output().contains("org.apache.felix.framework") || r.output().contains("uid="));
        }
        assertEquals(bundles, context.getBundles().length);
        // an admin may script (it is their gateway)
        assertContains(asAdmin("echo (($.context getBundle 0) symbolicName)"), "org.apache.felix.framework");
    }

    @Test
    public void redirectionCannotWriteOrReadFiles() throws Exception {
        Path keys = etc("keys.properties");
        String keysBefore = Files.readString(keys);
        Path probe = Paths.get(System.getProperty("karaf.base"), "rbac-probe.txt");
        String me = keysBefore.lines().filter(l -> l.startsWith("itviewer=")).findFirst().orElseThrow();
        for (String attempt : List.of(
                "sitegate:status > " + probe,
                "sitegate:status >> " + probe,
                "sitegate:status > etc/keys.properties",
                "help >> " + keys,
                "bundle:list 2> " + probe)) {
            assertRefused(attempt, asViewer(attempt));
        }
        // the escalation tried as a new user: append an admin line for oneself
        String escalation = "help " + me.replace("viewergroup", "admingroup") + " >> etc/keys.properties";
        assertRefused(escalation, asViewer(escalation));
        assertFalse("no file written", Files.exists(probe));
        assertEquals("keys.properties untouched", keysBefore, Files.readString(keys));
        assertRefused("still a viewer", asViewer("bundle:stop io.sitegate.core"));
    }

    @Test
    public void pipesAliasesAndFileCommandsAreRefused() throws Exception {
        for (String attempt : List.of(
                "cat etc/host.key",
                "shell:cat etc/keys.properties",
                "tac etc/keys.properties",
                "grep admin etc/keys.properties",
                "bundle:list | grep Sitegate",
                "sitegate:status | tac",
                "source etc/shell.init.script",
                "exec id",
                "java java.lang.Runtime",
                "edit etc/keys.properties",
                "kill 1",
                "threads --dump",
                "la = { bundle:stop io.sitegate.core } ; la",
                "bundle:list = { bundle:stop io.sitegate.core } ; bundle:list",
                "each [1] { bundle:stop io.sitegate.core }",
                "jaas:sudo bundle:stop io.sitegate.core",
                "jaas:su karaf",
                "config:list",
                "config:edit io.sitegate.gateway",
                "scr:disable io.sitegate.core.internal.GatewayIdentity",
                "ssh:ssh -l x 127.0.0.1",
                "system:shutdown -f")) {
            assertRefused(attempt, asViewer(attempt));
        }
        assertEquals(org.osgi.framework.Bundle.ACTIVE, bundle("io.sitegate.core").getState());
    }

    /** A command of a scope nobody has written an ACL for, as a feature installed later would bring. */
    public static final class LaterCommand {
        final java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();

        public String probe() {
            runs.incrementAndGet();
            return "later-command-ran";
        }
    }

    @Test
    public void aScopeBroughtLaterIsAdminOnly() throws Exception {
        LaterCommand later = new LaterCommand();
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("osgi.command.scope", "later");
        props.put("osgi.command.function", new String[] {"probe"});
        org.osgi.framework.ServiceRegistration<?> reg = context.registerService(Object.class, later, props);
        try {
            await("later:probe registered", 20_000, () -> commandNames().contains("later:probe"));
            assertRefused("later:probe as viewer", asViewer("later:probe"));
            assertEquals("the viewer's attempt never ran it", 0, later.runs.get());
            assertContains(asAdmin("echo (later:probe)"), "later-command-ran");
            assertEquals(1, later.runs.get());
        } finally {
            reg.unregister();
        }
    }

    /**
     * Every command of the shell's registry, as an admin sees it over SSH (the registry shows each user only
     * what their roles may run, and the admin may run everything).
     */
    private static Set<String> commandNames() {
        try {
            SshResult r = asAdmin("sf = $.context getService ($.context getServiceReference "
                    + SessionFactory.class.getName() + ") ; r = $sf registry ; each ($r commands) "
                    + "{ n = ($it name) ; s = ($it scope) ; echo \"$s:$n\" }");
            Set<String> names = new TreeSet<>();
            r.output().lines().filter(l -> l.matches("[^\\s:]+:\\S+")).forEach(names::add);
            return names;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, SshResult> runAsViewer(Set<String> commands) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String c : commands) {
            lines.add(c);
            for (String args : ARGUMENTS) {
                lines.add(c + " " + args);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<SshResult>> futures = new TreeMap<>();
            for (String line : lines) {
                futures.put(line, pool.submit(() -> asViewer(line)));
            }
            Map<String, SshResult> results = new TreeMap<>();
            for (Map.Entry<String, Future<SshResult>> e : futures.entrySet()) {
                results.put(e.getKey(), e.getValue().get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static void assertRefused(String what, SshResult r) {
        String out = r.output();
        assertTrue(what + " must be refused, got exit " + r.exit() + ": " + out,
                out.contains("Command not found: ") || out.contains("Insufficient credentials"));
    }

    private static void assertContains(SshResult r, String expected) {
        assertFalse(r.output(), r.output().contains("Command not found") || r.output().contains("Insufficient credentials"));
        assertTrue("expected '" + expected + "' in: " + r.output(), r.output().contains(expected));
    }

    private org.osgi.framework.Bundle bundle(String symbolicName) {
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private static Path etc(String name) {
        return Paths.get(System.getProperty("karaf.etc"), name);
    }
}
