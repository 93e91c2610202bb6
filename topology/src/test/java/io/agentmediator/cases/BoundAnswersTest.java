package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An approval or outcome that names the decision's {@code intentSha256} counts for that intent only. Its signature covers
 * the digest, so once the agent uses the id again (after {@code dedupe.retention}), a captured answer of the first intent,
 * re-sent byte for byte by anyone who can write its topic, is refused {@code ANOTHER_INTENT} instead of approving, or
 * settling, the second.
 */
class BoundAnswersTest {

    static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant EIGHT_DAYS_LATER = T0.plus(Duration.ofDays(8));
    static final String POLICY = """
            version: "bound-1"
            defaults: { escalationTimeout: PT4H, crossDepartmentTier: BOARD }
            tiers: [MANAGER, BOARD]
            agents:
              - id: buyer
                department: procurement
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 5000000000 }
              - id: researcher
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 1000000 } ]
            approvers:
              - { id: board@example.com, tier: BOARD, publicKey: "%s" }
            executors:
              - { id: erp-executor, publicKey: "%s", agents: ["*"] }
            """.formatted(TestKeys.publicKey("board@example.com"), TestKeys.publicKey("erp-executor"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldRefuseABoundApprovalReSentForALaterIntentUnderTheSameId() {
        // Given the board approved a 6,000.00 order po-7, naming its digest, and the order failed
        mediator.send(order(6_000_000_000L), T0);
        Approval boards = approval(mediator.decision("po-7"));
        mediator.approve(boards, TestKeys.privateKey("board@example.com"), T0.plusSeconds(60));
        assertThat(mediator.decision("po-7").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        mediator.report(outcome("po-7", OutcomeStatus.FAILED, "buyer", mediator.decision("po-7")), TestKeys.privateKey("erp-executor"),
                T0.plusSeconds(120));

        // And eight days later, past dedupe.retention, the id comes again for 9,000,000.00
        mediator.send(order(9_000_000_000_000L), EIGHT_DAYS_LATER);
        Decision escalated = mediator.decision("po-7");
        assertThat(escalated.getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);

        // When the board's signed approval of the first is written again, byte for byte
        mediator.approve(boards, TestKeys.privateKey("board@example.com"), EIGHT_DAYS_LATER.plusSeconds(60));

        // Then it is refused, and the escalation stays open
        assertThat(mediator.decision("po-7").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(details("po-7")).anyMatch(detail -> detail.contains("refused ANOTHER_INTENT")
                && detail.contains("here is of the one whose SHA-256 is " + escalated.getIntentSha256()));

        // While the board's answer to this one, naming its digest, executes it
        mediator.approve(approval(escalated), TestKeys.privateKey("board@example.com"), EIGHT_DAYS_LATER.plusSeconds(90));
        assertThat(mediator.decision("po-7").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRefuseABoundOutcomeReSentForALaterIntentUnderTheSameId() {
        // Given r-1 (1.00 of the day's 1.00) executed, and its executor reported FAILED, naming its digest
        mediator.send(call("r-1", "first run"), T0);
        Outcome failed = outcome("r-1", OutcomeStatus.FAILED, "researcher", mediator.decision("r-1"));
        mediator.report(failed, TestKeys.privateKey("erp-executor"), T0.plusSeconds(60));

        // And eight days later r-1 comes again, another call, and executes
        mediator.send(call("r-1", "second run"), EIGHT_DAYS_LATER);
        Decision second = mediator.decision("r-1");
        assertThat(second.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);

        // When the first FAILED is written again while the second runs, then the second really completes
        mediator.report(failed, TestKeys.privateKey("erp-executor"), EIGHT_DAYS_LATER.plusSeconds(10));
        mediator.report(outcome("r-1", OutcomeStatus.COMPLETED, "researcher", second), TestKeys.privateKey("erp-executor"),
                EIGHT_DAYS_LATER.plusSeconds(20));

        // Then the replay released nothing: the day's 1.00 is spent, and the next call is refused for it
        assertThat(details("r-1")).anyMatch(detail -> detail.contains("refused ANOTHER_INTENT"));
        mediator.send(call("r-2", "third run"), EIGHT_DAYS_LATER.plusSeconds(30));
        assertThat(mediator.decision("r-2").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(mediator.decision("r-2").getReasons()).anySatisfy(reason -> assertThat(reason.getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED));
    }

    private List<String> details(String intentId) {
        return mediator.caseFiles().get(intentId).getTimeline().stream().map(TimelineEntry::getDetail).toList();
    }

    private static Approval approval(Decision escalation) {
        return approval(escalation.getIntentSha256());
    }

    /** The board's approval of po-7, naming {@code intentSha256} (null: none). */
    static Approval approval(String intentSha256) {
        return new Approval("po-7", "board@example.com", ApprovalDecision.APPROVE, "ok", "buyer", intentSha256);
    }

    private static Outcome outcome(String intentId, OutcomeStatus status, String agentId, Decision executed) {
        return outcome(intentId, status, agentId, executed.getIntentSha256());
    }

    /** The executor's report, naming {@code intentSha256} (null: none). */
    static Outcome outcome(String intentId, OutcomeStatus status, String agentId, String intentSha256) {
        return new Outcome(intentId, status, null, "erp-executor", null, agentId, intentSha256);
    }

    /** po-7 of buyer, a purchase order committing {@code commitmentMicros}. */
    static AgentIntent order(long commitmentMicros) {
        return AgentIntent.newBuilder().setIntentId("po-7").setAgentId("buyer").setAction("purchase.order").setTarget("erp")
                .setCostMicros(100_000).setCommitmentMicros(commitmentMicros).setConfidence(0.95).setDepartments(List.of("finance")).build();
    }

    /** An llm.call of researcher costing the whole of its day's 1.00. */
    static AgentIntent call(String id, String reasoning) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId("researcher").setAction("llm.call").setTarget("llm:large")
                .setCostMicros(1_000_000L).setCommitmentMicros(0).setConfidence(0.95).setReasoning(reasoning).build();
    }
}
