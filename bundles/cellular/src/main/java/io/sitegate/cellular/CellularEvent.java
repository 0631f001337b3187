package io.sitegate.cellular;

import java.util.Map;
import java.util.Objects;

/**
 * An event the cellular logic wants raised, ready for EventAdmin: one of the
 * {@code io/sitegate/cellular/...} topics of {@code io.sitegate.core.SitegateTopics} with its properties.
 *
 * @param topic      the topic
 * @param properties the event properties (strings and numbers), never secrets
 */
public record CellularEvent(String topic, Map<String, Object> properties) {
    public CellularEvent {
        Objects.requireNonNull(topic, "topic");
        properties = Map.copyOf(properties);
    }
}
