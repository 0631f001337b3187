package io.sitegate.dns.command;

import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.LookupResult;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** {@code sitegate:dns-lookup <name> [type] [--timeout ms]}. */
@Command(scope = "sitegate", name = "dns-lookup",
        description = "Looks a name up through the gateway's DNS forwarder, as a machine behind the gateway would, and shows what answered.",
        detailedDescription = "The query takes the same way as a client's: DNS firewall, cache, then the upstream servers, "
                + "so it may send a query upstream. The answer shows the result code (NOERROR, NXDOMAIN = no such name, "
                + "SERVFAIL = no upstream could answer, REFUSED), what answered (cache, stale cache, an upstream, a firewall "
                + "rule, or the forwarder itself), the time taken and the records. "
                + "Options go before the name: sitegate:dns-lookup --timeout 2000 example.com AAAA")
@Service
public class DnsLookupCommand implements Action {
    /** Waited beyond --timeout for the forwarder to report its own timeout before giving up on it. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    @Reference(optional = true)
    DnsForwarder forwarder;

    @Argument(index = 0, name = "name", description = "The name to look up, e.g. www.example.com", required = true)
    String name;

    @Argument(index = 1, name = "type", description = "Record type: A (default), AAAA, MX, TXT, SRV, CNAME, NS, SOA, PTR, CAA, HTTPS, ANY")
    @Completion(value = StringsCompleter.class, caseSensitive = false,
            values = {"A", "AAAA", "MX", "TXT", "SRV", "CNAME", "NS", "SOA", "PTR", "CAA", "HTTPS", "ANY"})
    String type = "A";

    @Option(name = "--timeout", aliases = "-t", description = "Milliseconds to wait for the answer (default 5000)")
    int timeoutMillis = 5000;

    @Override
    public Object execute() throws Exception {
        if (timeoutMillis < 1 || timeoutMillis > 60_000) {
            throw new IllegalArgumentException("--timeout must be 1 to 60000 milliseconds");
        }
        String upperType = type.toUpperCase(Locale.ROOT);
        Duration timeout = Duration.ofMillis(timeoutMillis);
        CompletableFuture<LookupResult> answer = DnsText.require(forwarder).lookup(name, upperType, timeout).toCompletableFuture();
        LookupResult r;
        try {
            r = answer.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw noAnswer(upperType);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            System.out.println("Interrupted.");
            return null;
        } catch (ExecutionException e) {
            throw failure(e, upperType);
        }
        print(r, upperType, System.out);
        return null;
    }

    private void print(LookupResult r, String upperType, PrintStream out) {
        out.println("Name:        " + DnsText.safe(name) + "  " + upperType);
        out.println("Result:      " + r.rcode());
        out.println("Answered by: " + DnsText.orDash(r.answeredBy()));
        out.println("Time:        " + (r.took().isZero() ? "0" : DnsText.millis(r.took())) + " ms");
        out.println("Records:" + (r.records().isEmpty() ? "     none" : ""));
        r.records().forEach(record -> out.println("  " + DnsText.safeRecord(record)));
    }

    private RuntimeException failure(ExecutionException e, String upperType) {
        Throwable cause = e.getCause();
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IllegalArgumentException) {
            return new IllegalArgumentException(cause.getMessage());
        }
        if (cause instanceof TimeoutException) {
            return noAnswer(upperType);
        }
        return new IllegalStateException("lookup of " + name + " " + upperType + " failed: "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }

    private IllegalStateException noAnswer(String upperType) {
        return new IllegalStateException("no answer for " + name + " " + upperType + " within " + timeoutMillis
                + " ms (sitegate:dns-status shows the upstreams' health)");
    }
}
