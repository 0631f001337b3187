package io.sitegate.cellular.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.cellular.CellularEvent;
import io.sitegate.cellular.RecentEvent;
import io.sitegate.core.SitegateTopics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EventJournalTest {
    @Test
    void postsEveryEventAndKeepsTheLatestOnes() {
        List<CellularEvent> posted = new ArrayList<>();
        EventJournal j = new EventJournal(3, MutableClock.at("2025-03-20T10:00:00Z"), posted::add);
        for (int i = 0; i < 5; i++) {
            j.raise(new CellularEvent(SitegateTopics.QUOTA_THRESHOLD, Map.of("n", i)));
        }
        assertThat(posted).hasSize(5);
        assertThat(j.recent()).extracting(e -> e.event().properties().get("n")).containsExactly(2, 3, 4);
        assertThat(j.recent()).extracting(RecentEvent::name).containsOnly("QUOTA_THRESHOLD");
    }

    @Test
    void needsRoomForOne() {
        assertThatThrownBy(() -> new EventJournal(0, MutableClock.at("2025-03-20T10:00:00Z"), e -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
