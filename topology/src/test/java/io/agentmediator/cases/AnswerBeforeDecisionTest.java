package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.budget.WindowUsage;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An answer read before its intent's owner is known waits for the case (case.owner.wait), for the race between an answer
 * and the owner record its decision wrote. One written before the decision it would answer answers something else: an
 * approval sent in advance for an intent still waiting on its dependencies must not approve the escalation it later opens,
 * and an outcome reported before the intent was executed reports nothing done on that decision.
 */
class AnswerBeforeDecisionTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "early-1"
            defaults: { escalationTimeout: PT4H }
            tiers: [MANAGER]
            agents:
              - id: buyer
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
                budgets: [ { window: DAY, limitMicros: 10000000 } ]
            approvers:
              - { id: manager, tier: MANAGER, publicKey: "%s" }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("manager"), TestKeys.publicKey("executor-1"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldNotApplyAnApprovalWrittenBeforeTheEscalationItWouldAnswer() {
        // Given b-2 waiting for b-1, and an approval of b-2 sent while nothing was decided about it
        mediator.send(intent("b-2", 5_000, 0, List.of("b-1")), T0);
        mediator.approve("b-2", "manager", ApprovalDecision.APPROVE, T0.plusSeconds(1));

        // When b-1 runs and completes, and b-2 wakes and escalates (over the buyer's authority)
        mediator.send(intent("b-1", 0, 0, List.of()), T0.plusSeconds(2));
        mediator.report("b-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(3));

        // Then b-2 stays escalated, its case file saying why the early approval was not applied
        assertThat(mediator.decisions()).filteredOn(d -> d.getIntentId().equals("b-2"))
                .extracting(d -> d.getOutcome() + " by " + d.getDecidedBy() + " at " + d.getDecidedAt())
                .containsExactly("ESCALATE by mediator at " + T0.plusSeconds(3));
        assertThat(mediator.caseFiles().get("b-2").getTimeline()).extracting(TimelineEntry::getDetail)
                .anyMatch(detail -> detail != null && detail.contains("APPROVE not applied: it arrived at " + T0.plusSeconds(1)
                        + ", before the escalation it would answer was decided at " + T0.plusSeconds(3)));

        // And an approval sent after the escalation executes it
        mediator.approve("b-2", "manager", ApprovalDecision.APPROVE, T0.plusSeconds(10));
        assertThat(mediator.decision("b-2").getDecidedBy()).isEqualTo("manager");
        assertThat(mediator.decision("b-2").getOutcome().toString()).isEqualTo("EXECUTE");
    }

    @Test
    void shouldNotSettleAnOutcomeReportedBeforeTheIntentWasExecuted() {
        // Given c-2 (cost 2) waiting for c-1, and a COMPLETED with an actual cost of 9 reported for it meanwhile
        mediator.send(intent("c-2", 0, 2_000_000, List.of("c-1")), T0);
        mediator.report("c-2", OutcomeStatus.COMPLETED, 9_000_000L, T0.plusSeconds(1));

        // When c-1 runs and completes, and c-2 wakes and is executed
        mediator.send(intent("c-1", 0, 0, List.of()), T0.plusSeconds(2));
        mediator.report("c-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(3));
        assertThat(mediator.decision("c-2").getOutcome().toString()).isEqualTo("EXECUTE");

        // Then the early report settled nothing: c-2's estimate stays reserved, and its case file says why
        assertThat(day().reservedMicros()).isEqualTo(2_000_000);
        assertThat(day().spentMicros()).isZero();
        assertThat(mediator.caseFiles().get("c-2").getOutcome()).isNull();
        assertThat(mediator.caseFiles().get("c-2").getTimeline()).extracting(TimelineEntry::getDetail)
                .anyMatch(detail -> detail != null && detail.contains("outcome COMPLETED arrived at " + T0.plusSeconds(1)
                        + ", before the intent was decided EXECUTE at " + T0.plusSeconds(3)));

        // And one reported after it settles it
        mediator.report("c-2", OutcomeStatus.COMPLETED, 1_500_000L, T0.plusSeconds(10));
        assertThat(day().reservedMicros()).isZero();
        assertThat(day().spentMicros()).isEqualTo(1_500_000);
    }

    private WindowUsage day() {
        return mediator.agentBudgets("buyer", T0.plusSeconds(20)).get(0);
    }

    private static AgentIntent intent(String intentId, long commitment, long cost, List<String> dependsOn) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("buyer").setAction("po.create").setTarget("erp")
                .setCostMicros(cost).setCommitmentMicros(commitment).setConfidence(0.9).setDependsOn(dependsOn).build();
    }
}
