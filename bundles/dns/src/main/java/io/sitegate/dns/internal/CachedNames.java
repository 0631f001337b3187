package io.sitegate.dns.internal;

import io.sitegate.dns.ResolvedName;
import io.sitegate.dns.ResolvedNameListener;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The allowed names in the cache, told again to a resolved-name listener that came after their answers. */
final class CachedNames {
    private static final Logger LOG = LoggerFactory.getLogger(CachedNames.class);

    private CachedNames() {
    }

    /**
     * Tells {@code listener} every fresh, allowed answer with addresses, with the time it has left (blocked answers,
     * errors and empty answers are not told).
     *
     * @return how many names were told
     */
    static int replay(AnswerCache cache, ResolvedNameListener listener, long nowNanos) {
        int told = 0;
        for (Answer a : cache.fresh(nowNanos)) {
            if (a.decision() != null || a.rcode() != 0) {
                continue;
            }
            try {
                Message m = new Message(a.template());
                List<InetAddress> addresses = new ArrayList<>();
                for (Record r : m.getSection(Section.ANSWER)) {
                    if (r instanceof ARecord ar) {
                        addresses.add(ar.getAddress());
                    } else if (r instanceof AAAARecord aaaa) {
                        addresses.add(aaaa.getAddress());
                    }
                }
                if (addresses.isEmpty() || m.getQuestion() == null) {
                    continue;
                }
                String name = m.getQuestion().getName().toString(true).toLowerCase(Locale.ROOT);
                listener.resolved(new ResolvedName(name, addresses, Duration.ofSeconds(a.secondsLeft(nowNanos)), Instant.now()));
                told++;
            } catch (IOException | RuntimeException e) {
                LOG.debug("replaying a cached answer to a resolved-name listener: {}", e.toString());
            }
        }
        return told;
    }
}
