package io.agentmediator.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The read horizon's rounds, one poll at a time, against offsets this test moves; ApprovalAfterOutageIT runs it on the broker. */
class ReadHorizonTest {

    private static final TopicPartition APPROVALS = new TopicPartition("agent.approvals", 2);
    private static final TopicPartition CASE_EVENTS = new TopicPartition("agent.case-events", 0);
    private static final Instant START = Instant.parse("2026-11-23T14:00:00Z");
    private static final Duration POLL = GroupProgress.INTERVAL;

    private final ReadHorizon horizon = new ReadHorizon();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private int polls;

    @Test
    void shouldTrailTheWallClockByItsRoundsWhileEverythingIsRead() {
        horizon.track();
        ends.put(APPROVALS, 5L);
        committed.put(APPROVALS, 5L);

        for (int n = 0; n < ReadHorizon.HOPS; n++) {
            assertThat(poll()).as("poll " + n).isEqualTo(Instant.EPOCH);
        }
        assertThat(poll()).isEqualTo(START);
        assertThat(poll()).isEqualTo(START.plus(POLL));
    }

    @Test
    void shouldStayWhereItWasUntilTheBacklogAndWhatItCausedAreCommitted() {
        horizon.track();
        // a backlog of 20,000 records on the approvals partition
        ends.put(APPROVALS, 20_000L);
        for (int n = 0; n < 12; n++) {
            committed.put(APPROVALS, 1_500L * n);
            assertThat(poll()).as("poll " + n + ": the backlog is being read").isEqualTo(Instant.EPOCH);
        }

        // each record read wrote one for the next hop, committed with it, which is read in its turn
        committed.put(APPROVALS, 20_000L);
        ends.put(CASE_EVENTS, 20_000L);
        assertThat(poll()).isEqualTo(Instant.EPOCH);
        assertThat(poll()).as("case events not read yet").isEqualTo(Instant.EPOCH);
        committed.put(CASE_EVENTS, 20_000L);
        for (int n = 0; n < ReadHorizon.HOPS - 2; n++) {
            assertThat(poll()).isEqualTo(Instant.EPOCH);
        }
        assertThat(poll()).as("the last note taken while the backlog was read, once all it waited for was").isEqualTo(
                START.plus(POLL.multipliedBy(ReadHorizon.MAX_NOTES - 1)));
    }

    @Test
    void shouldCountAPartitionTheGroupNeverCommittedAsUnread() {
        horizon.track();
        ends.put(APPROVALS, 1L);

        for (int n = 0; n < 3 * ReadHorizon.HOPS; n++) {
            assertThat(poll()).isEqualTo(Instant.EPOCH);
        }
    }

    @Test
    void shouldNeverPassTheWallClock() {
        horizon.track();
        for (int n = 0; n <= ReadHorizon.HOPS; n++) {
            poll();
        }

        assertThat(horizon.at(START.minus(Duration.ofDays(1)))).isEqualTo(START.minus(Duration.ofDays(1)));
    }

    @Test
    void shouldBeTheWallClockUntilTracked() {
        ReadHorizon untracked = new ReadHorizon();

        assertThat(untracked.at(START)).isEqualTo(START);
        untracked.track();
        assertThat(untracked.at(START)).as("tracked, nothing shown yet: the start of time").isEqualTo(Instant.EPOCH);
    }

    private Instant poll() {
        Instant at = START.plus(POLL.multipliedBy(polls++));
        horizon.progress(at, Map.copyOf(committed), Map.copyOf(ends));
        return horizon.at(at.plus(Duration.ofDays(1)));
    }
}
