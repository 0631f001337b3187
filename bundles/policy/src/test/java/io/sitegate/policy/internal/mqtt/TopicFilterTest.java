package io.sitegate.policy.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicFilterTest {
    @Test
    void matchesLikeABroker() {
        assertThat(TopicFilter.matches("sitegate/gw1/policy", "sitegate/gw1/policy")).isTrue();
        assertThat(TopicFilter.matches("sitegate/gw1/policy", "sitegate/gw1/policy/x")).isFalse();
        assertThat(TopicFilter.matches("sitegate/+/policy", "sitegate/gw1/policy")).isTrue();
        assertThat(TopicFilter.matches("sitegate/+/policy", "sitegate/gw1/acks")).isFalse();
        assertThat(TopicFilter.matches("sitegate/#", "sitegate")).isTrue();
        assertThat(TopicFilter.matches("sitegate/#", "sitegate/a/b/c")).isTrue();
        assertThat(TopicFilter.matches("#", "$SYS/broker")).isFalse();
        assertThat(TopicFilter.matches("+/broker", "$SYS/broker")).isFalse();
        assertThat(TopicFilter.matches("sitegate/gw1", "sitegate/gw10")).isFalse();
        assertThat(TopicFilter.matches("sitegate/+", "sitegate/")).isTrue();
    }
}
