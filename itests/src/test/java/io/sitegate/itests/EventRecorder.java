package io.sitegate.itests;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** The EventAdmin events on some topics, recorded by an EventHandler registered for one test. */
final class EventRecorder {

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private ServiceRegistration<EventHandler> handler;

    /** Registers the handler for this topic pattern (or these). */
    void start(BundleContext context, String... topics) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, topics.length == 1 ? topics[0] : topics);
        handler = context.registerService(EventHandler.class, events::add, props);
    }

    void stop() {
        handler.unregister();
    }

    void clear() {
        events.clear();
    }

    Stream<Event> stream() {
        return events.stream();
    }

    /** The first event on this topic for this modem that also passes the test, waiting for it. */
    Event await(String topic, String modemId, Predicate<Event> also, long timeoutMs) throws InterruptedException {
        Predicate<Event> wanted = e -> e.getTopic().equals(topic) && modemId.equals(e.getProperty("modem")) && also.test(e);
        try {
            SitegateTestSupport.await(topic + " for " + modemId, timeoutMs, () -> events.stream().anyMatch(wanted));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; events seen: " + describe());
        }
        return events.stream().filter(wanted).findFirst().orElseThrow();
    }

    /** The events seen so far, each as its topic and its own properties. */
    List<String> describe() {
        return describe(events);
    }

    static List<String> describe(List<Event> events) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            StringBuilder b = new StringBuilder(e.getTopic());
            for (String name : e.getPropertyNames()) {
                if (!name.startsWith("event.")) {
                    b.append(' ').append(name).append('=').append(e.getProperty(name));
                }
            }
            out.add(b.toString());
        }
        return out;
    }
}
