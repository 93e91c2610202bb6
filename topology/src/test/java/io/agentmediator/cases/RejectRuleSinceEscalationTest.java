package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An approval executes an escalated intent under the policy in force, whose version the decision carries: an enforced REJECT
 * rule that policy has added since, and that matches the intent, may not see it executed (reject outranks escalate). The
 * approval is written into the case file as not applied, the escalation stays open, and a denial still closes it.
 */
class RejectRuleSinceEscalationTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "%s"
            tiers: [MANAGER]
            agents:
              - id: buyer
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000000 }
                budgets: [ { window: DAY, limitMicros: 100000000 } ]
            approvers:
              - { id: boss, tier: MANAGER, publicKey: "%s" }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            %s
            """;
    private static final String FREEZE = """
            rules:
              - id: vendor-freeze
                when: "intent.target == 'acme-bank'"
                effect: REJECT
                mode: %s
                message: "payments to acme-bank are frozen (incident 42)"
            """;

    private static final String SPENDING_CAP = """
            rules:
              - id: spending-cap
                when: "budget.DAY.spentMicros > 1000000"
                effect: REJECT
                message: "more than 1.00 spent today"
            """;

    /** True for every intent it can judge; reasoning of 5,000 characters would make 25 million. */
    private static final String ECHO = """
            rules:
              - { id: echo, when: "intent.reasoning.replace('', intent.reasoning) == 'never'", effect: REJECT }
            """;

    private static final String VENDOR_FREEZE = """
            rules:
              - { id: vendor-freeze, when: "intent.attributes['vendor'] == 'acme'", effect: REJECT }
            """;

    private PipelineDriver mediator = mediator("");

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldNotExecuteAnEscalatedIntentThatARejectRuleInForceNowMatches() {
        // Given two escalated payments, then rules-2, which freezes payments to acme-bank
        mediator.send(payment("p-1", "acme-bank"), T0);
        mediator.send(payment("p-2", "other-bank"), T0);
        assertThat(mediator.decision("p-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        publish("rules-2", FREEZE.formatted("ENFORCE"), T0.plusSeconds(5));

        // When the boss approves both
        mediator.approve("p-1", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));
        mediator.approve("p-2", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));

        // Then the frozen payment stays escalated, its case file saying why, while the other executes under rules-2
        assertThat(mediator.decision("p-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(mediator.caseFiles().get("p-1").getTimeline()).extracting(TimelineEntry::getDetail)
                .anyMatch(detail -> detail.contains("policy rules-2 no longer allows it (RULE: payments to acme-bank are frozen"));
        assertThat(mediator.decision("p-2").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(mediator.decision("p-2").getPolicyVersion()).isEqualTo("rules-2");

        // And a denial of the frozen one closes it and frees its reservation
        mediator.approve("p-1", "boss", ApprovalDecision.DENY, T0.plusSeconds(20));
        assertThat(mediator.decision("p-1").getReasons()).singleElement()
                .satisfies(reason -> assertThat(reason.getCode()).isEqualTo(ReasonCode.DENIED));
        assertThat(mediator.agentBudgets("buyer", T0).get(0).reservedMicros()).isEqualTo(2_000_000);
    }

    @Test
    void shouldNotExecuteAnEscalatedIntentThatARejectRuleInForceCannotJudge() {
        // Given two escalated payments, then rules-2, whose REJECT rule stops at its size limit on the one with long reasoning
        mediator.send(AgentIntent.newBuilder(payment("p-6", "acme-bank")).setReasoning("e".repeat(5_000)).build(), T0);
        mediator.send(payment("p-7", "acme-bank"), T0);
        publish("rules-2", ECHO, T0.plusSeconds(5));

        // When the boss approves both
        mediator.approve("p-6", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));
        mediator.approve("p-7", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));

        // Then the one the rule could not judge stays escalated, its case file saying why, as the gate fails closed on it
        assertThat(mediator.decision("p-6").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(mediator.caseFiles().get("p-6").getTimeline()).extracting(TimelineEntry::getDetail)
                .anyMatch(detail -> detail.contains("policy rules-2 no longer allows it (RULE_ERROR: rule echo could not be evaluated:"
                        + " would build a value of 25010000 characters or entries, over its size limit of 1000000"));
        // And the one it judged executes
        assertThat(mediator.decision("p-7").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldExecuteAnApprovedIntentThatARuleCouldNotJudgeAtTheGateEitherWhenTheSameRulesArePublishedAgain() {
        // Given a payment the freeze cannot judge (its attributes hold no vendor): escalated RULE_ERROR for a person
        mediator.close();
        mediator = mediator(VENDOR_FREEZE);
        mediator.send(payment("p-8", "acme-bank"), T0);
        assertThat(mediator.decision("p-8").getReasons()).extracting(Reason::getCode).contains(ReasonCode.RULE_ERROR);
        // And rules-2, the same rules under a new version
        publish("rules-2", VENDOR_FREEZE, T0.plusSeconds(5));

        // When the boss, who saw why it escalated, approves it
        mediator.approve("p-8", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));

        // Then it executes, as it would under rules-1
        assertThat(mediator.decision("p-8").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldExecuteAnApprovedIntentThatAnAuditOnlyRuleMatches() {
        mediator.send(payment("p-3", "acme-bank"), T0);
        publish("rules-2", FREEZE.formatted("AUDIT"), T0.plusSeconds(5));

        mediator.approve("p-3", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));

        assertThat(mediator.decision("p-3").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldNotJudgeAnEscalationAgainUnderThePolicyItEscalatedUnder() {
        // Given an escalated payment, then another payment of the agent spent, past what the policy's own rule allows a new one
        mediator.close();
        mediator = mediator(SPENDING_CAP);
        mediator.send(payment("p-4", "acme-bank"), T0);
        mediator.send(AgentIntent.newBuilder(payment("p-5", "other-bank")).setCommitmentMicros(0).build(), T0.plusSeconds(1));
        mediator.report("p-5", io.agentmediator.schema.OutcomeStatus.COMPLETED, null, T0.plusSeconds(2));

        // When the boss approves the escalated one under the same policy
        mediator.approve("p-4", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));

        // Then it executes: its rules let it through when it escalated, and its reservation was in the budget then
        assertThat(mediator.decision("p-4").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldNotJudgeAnEscalationAgainByARuleItsOwnPolicyHadWhenAnotherVersionOfTheSameRulesIsPublished() {
        // Given the escalated payment and the spending past the cap of the test above
        mediator.close();
        mediator = mediator(SPENDING_CAP);
        mediator.send(payment("p-4", "acme-bank"), T0);
        mediator.send(AgentIntent.newBuilder(payment("p-5", "other-bank")).setCommitmentMicros(0).build(), T0.plusSeconds(1));
        mediator.report("p-5", io.agentmediator.schema.OutcomeStatus.COMPLETED, null, T0.plusSeconds(2));
        // And rules-2, the same rules under a new version (an approver added, a typo fixed: no rule was published since)
        publish("rules-2", SPENDING_CAP, T0.plusSeconds(5));

        // When the boss approves the escalated one
        mediator.approve("p-4", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));

        // Then it executes as it does under rules-1: the cap let it through when it escalated, and nothing new rejects it
        assertThat(mediator.decision("p-4").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    private static PipelineDriver mediator(String rules) {
        return new PipelineDriver(policy("rules-1", rules), T0);
    }

    private static String policy(String version, String rules) {
        return POLICY.formatted(version, TestKeys.publicKey("boss"), TestKeys.publicKey("executor-1"), rules);
    }

    private void publish(String version, String rules, Instant at) {
        PolicyDocument document = PolicyCodec.toAvro(PolicyParser.parse("rules.yaml", policy(version, rules)).policy());
        mediator.publish(document, at);
    }

    private static AgentIntent payment(String id, String target) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId("buyer").setAction("payment.send").setTarget(target)
                .setCostMicros(2_000_000).setCommitmentMicros(9_000_000L).setConfidence(0.95).build();
    }
}
