package io.agentmediator.gate;

import static io.agentmediator.gate.GateFixture.intent;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.TestDrivers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What deciding one intent writes, topic by topic, changelogs included, through the real topology: each
 * record is broker work and commit time (docs/BENCHMARKS.md, "Records written per intent"), so a write
 * that says nothing new must not creep back in. Counted after a first intent of the agent, so its
 * budget windows and rate bucket exist, as they do for all but an agent's first intent.
 */
class RecordsPerIntentTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    private final GateFixture gate = new GateFixture(T0);

    @BeforeEach
    void anEarlierIntentOfTheAgent() {
        gate.send(intent("first").build(), T0);
        assertThat(gate.decision().getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        written(gate.driver);
    }

    @AfterEach
    void tearDown() {
        gate.close();
    }

    @Test
    void shouldWriteForAnExecutedIntentItsDecisionCaseFileOwnerAndOneRecordPerStoreItChanges() {
        // When an intent within every limit arrives
        gate.send(intent("ok-2").build(), T0.plusSeconds(1));

        // Then it is executed, and besides its decision it writes exactly these records
        assertThat(gate.decision().getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(written(gate.driver)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "agent.audit", 1,
                "agent.case-owners", 1,
                "intent-ids-changelog", 1,
                "rate-buckets-changelog", 1,
                "budget-balances-changelog", 2,
                "budget-reservations-changelog", 1,
                "executed-cases-changelog", 1,
                "executed-cases-by-change-changelog", 1));
    }

    @Test
    void shouldWriteNoBudgetRecordForAnIntentReservedThenRejectedByARule() {
        // When an intent passes its budgets, then an enforced REJECT rule rejects it
        gate.send(intent("vendor-1").setAttributes(Map.of("vendor", "acme-shell-co")).build(), T0.plusSeconds(1));

        // Then it keeps nothing: its reservation was taken and let go within the decision, so no budget store is written
        Decision decision = gate.decision();
        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(decision.getReasons()).singleElement().satisfies(reason -> assertThat(reason.getCode()).isEqualTo(ReasonCode.RULE));
        assertThat(written(gate.driver)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "agent.audit", 1,
                "intent-ids-changelog", 1,
                "rate-buckets-changelog", 1));
    }

    @Test
    void shouldWriteEachWindowBalanceOnceWhenOneCommitReleasesSeveralReservationsOfTheAgent() {
        // Given three escalations of one agent, each holding a reservation in the same DAY and MONTH windows
        for (int i = 1; i <= 3; i++) {
            gate.send(intent("unsure-" + i).setConfidence(0.1).build(), T0.plusSeconds(i));
        }
        assertThat(gate.decisions()).extracting(Decision::getOutcome).containsOnly(DecisionOutcome.ESCALATE);
        written(gate.driver);

        // When their deadline passes unanswered, and one punctuation rejects all three before the next commit
        gate.driver.advanceWallClockTime(Duration.ofHours(4).plusMinutes(1));

        // Then each window's balance reaches the changelog once, as the last release left it, not once per release
        assertThat(gate.decisions()).extracting(Decision::getOutcome).containsExactly(
                DecisionOutcome.REJECT, DecisionOutcome.REJECT, DecisionOutcome.REJECT);
        assertThat(written(gate.driver)).containsEntry("budget-balances-changelog", 2)
                .containsEntry("budget-reservations-changelog", 3);
    }

    /**
     * The records written since the last call on every topic but the decision topics (the fixture reads
     * those), by topic, changelogs named without the application id.
     */
    private static Map<String, Integer> written(TopologyTestDriver driver) {
        String applicationId = new StreamsConfig(TestDrivers.streamsSettings())
                .getString(StreamsConfig.APPLICATION_ID_CONFIG) + "-";
        Map<String, Integer> written = new TreeMap<>();
        for (String topic : driver.producedTopicNames()) {
            if (topic.startsWith("agent.decisions.")) {
                continue;
            }
            int records = driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())
                    .readRecordsToList().size();
            if (records > 0) {
                written.put(topic.startsWith(applicationId) ? topic.substring(applicationId.length()) : topic, records);
            }
        }
        return written;
    }
}
