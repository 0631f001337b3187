package io.sitegate.dns.internal;

import io.sitegate.dns.LookupResult;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A lookup from the shell, sent through the same path as a client's query (a TCP-sized query from the
 * loopback address, so it is never truncated), with what answered it.
 */
final class LocalLookup {

    private LocalLookup() {
    }

    static CompletionStage<LookupResult> run(Forwarder forwarder, String name, String type, Duration timeout) {
        int t = Type.value(type == null ? "A" : type.trim());
        if (t < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown record type '" + type + "'"));
        }
        Name qname;
        try {
            qname = t == Type.PTR && isAddress(name) ? ReverseMap.fromAddress(name)
                    : Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException | java.net.UnknownHostException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("'" + name + "' is not a valid name: "
                    + e.getMessage()));
        }
        Message q = Message.newQuery(Record.newRecord(qname, t, DClass.IN));
        q.addRecord(new OPTRecord(WireQuery.EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        byte[] wire = q.toWire();
        long start = System.nanoTime();
        CompletableFuture<LookupResult> result = new CompletableFuture<>();
        forwarder.handle(wire, wire.length, InetAddress.getLoopbackAddress(), false, (bytes, len, source) -> {
            try {
                Message m = new Message(java.util.Arrays.copyOf(bytes, len));
                List<String> records = new ArrayList<>();
                for (Record r : m.getSection(Section.ANSWER)) {
                    records.add(r.toString());
                }
                for (Record r : m.getSection(Section.AUTHORITY)) {
                    records.add(r.toString() + "   ; authority");
                }
                result.complete(new LookupResult(Rcode.string(m.getRcode()), records, source,
                        Duration.ofNanos(System.nanoTime() - start)));
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }, Forwarder.newBuffer());
        return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static boolean isAddress(String s) {
        return s.matches("[0-9.]+|[0-9a-fA-F:]+:[0-9a-fA-F:.]*");
    }
}
