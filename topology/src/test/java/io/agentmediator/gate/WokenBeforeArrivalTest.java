package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A dependency's outcome appended by the broker just before a follow-up arrives can reach the ledger after the follow-up's
 * wait: it crosses three topics (outcomes, case events, ledger requests) where the wait crosses one. The follow-up is
 * decided when it is woken, but never at a time before it arrived: not charged to a window that had closed when it was
 * sent, and its decidedAt not before its receipt.
 */
class WokenBeforeArrivalTest {

    private static final Instant MONDAY_10 = Instant.parse("2026-11-23T10:00:00Z");
    /** Broker time of T's outcome: 100 ms before the follow-up arrives, across midnight. */
    private static final Instant OUTCOME_APPENDED = Instant.parse("2026-11-23T23:59:59.950Z");
    private static final Instant FOLLOW_UP_ARRIVES = Instant.parse("2026-11-24T00:00:00.050Z");
    private static final String POLICY = """
            version: "woken-1"
            agents:
              - id: planner
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 10000000 } ]
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("executor-1"));

    @Test
    void aFollowUpArrivingOnTuesdayIsJudgedOnTuesdayNotAtItsDependencysMondayCompletion() {
        try (PipelineDriver mediator = new PipelineDriver(POLICY, FOLLOW_UP_ARRIVES.plusSeconds(1))) {
            // Given Monday's DAY budget spent in full by T, executed
            mediator.send(intent("T", 10_000_000, List.of()), MONDAY_10);
            assertThat(mediator.decision("T").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);

            // And a follow-up arriving on Tuesday (broker time), waiting for T, whose outcome the broker appended 100 ms
            // earlier but which reaches the ledger after the follow-up's AWAIT (it takes two more hops)
            mediator.send(intent("X", 1_000_000, List.of("T")), FOLLOW_UP_ARRIVES);
            assertThat(mediator.decision("X")).isNull();
            mediator.report("T", OutcomeStatus.COMPLETED, null, OUTCOME_APPENDED);

            // Then X, which arrived on Tuesday with Tuesday's budget untouched, is decided on Tuesday and executes
            Decision x = mediator.decision("X");
            assertThat(x).isNotNull();
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(x.getOutcome()).as("X's outcome; reasons " + x.getReasons()).isEqualTo(DecisionOutcome.EXECUTE);
            soft.assertThat(x.getDecidedAt()).as("decidedAt of X, which arrived at " + FOLLOW_UP_ARRIVES)
                    .isAfterOrEqualTo(FOLLOW_UP_ARRIVES);
            soft.assertAll();
        }
    }

    private static AgentIntent intent(String id, long cost, List<String> dependsOn) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId("planner").setAction("plan.make").setTarget("calendar")
                .setCostMicros(cost).setCommitmentMicros(0).setConfidence(0.9).setDependsOn(dependsOn).build();
    }
}
