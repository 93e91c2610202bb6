package io.agentmediator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.budget.StoredBalances;
import io.agentmediator.budget.WindowBalance;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerReplyKind;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Budget windows and resource holds are forgotten by the wall clock, so that state stays small with no traffic, but only as
 * far as the mediator has read ({@link io.agentmediator.catchup.ReadHorizon}). After an outage, an intent that arrived in a
 * window, or the outcome that completed a booking in time, may still be unread when the first housekeeping check runs: an
 * intent moved through the placed topic, or a claim from an agent partition that lags, comes behind records that moved the
 * task's stream time on. Forgotten first, the window was spent again from zero and the room was booked twice. Each case
 * also shows the window or hold going once everything has been read, so a check that forgot nothing would fail it.
 */
class ForgottenOnceReadTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "read-1"
            defaults: { escalationTimeout: PT4H, dependencyTimeout: PT1H, conflictTier: MANAGER, minConfidence: 0.6 }
            tiers: [MANAGER, BOARD]
            agents:
              - id: solo
                department: research
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: HOUR, limitMicros: 10000000 } ]
              - id: analyst-a
                department: research
                capabilities: { actions: ["*"], targets: ["*"] }
                pool: research-team
              - id: analyst-b
                department: research
                capabilities: { actions: ["*"], targets: ["*"] }
                pool: research-team
              - id: ops-planner
                department: ops
                capabilities: { actions: ["*"], targets: ["*"] }
              - id: facilities-bot
                department: ops
                capabilities: { actions: ["*"], targets: ["*"] }
            pools:
              - { id: research-team, budgets: [ { window: HOUR, limitMicros: 10000000 } ] }
            resources:
              - { pattern: "room:*", capacity: 1 }
            approvers:
              - { id: manager, tier: MANAGER, publicKey: "%s" }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("manager"), TestKeys.publicKey("executor-1"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldKeepAnAgentsWindowUntilWhatArrivedInItHasBeenRead() {
        // Given solo spent 6.00 of its 10.00 in the 09:00 hour
        mediator.send(spend("s-1", "solo", 6_000_000), T0);
        mediator.report("s-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(30));
        // And after an outage the mediator has read what arrived up to 09:39, while its task read on to 11:05 and the
        // housekeeping check ran at 11:06, past the hour's end plus its length
        mediator.readUpTo(T0.plus(Duration.ofMinutes(39)));
        mediator.send(spend("a-2", "analyst-a", 0), T0.plus(Duration.ofMinutes(125)));
        mediator.advanceWallClock(Duration.ofMinutes(126));

        // When solo's intent of 09:40 (5.00) is read
        mediator.send(spend("s-2", "solo", 5_000_000), T0.plus(Duration.ofMinutes(40)));

        // Then it finds the hour as spent: 6.00 + 5.00 is over 10.00
        assertThat(mediator.decision("s-2").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(mediator.decision("s-2").getReasons()).anySatisfy(reason -> assertThat(reason.getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED));

        // And once everything has been read, the next check forgets the hour
        assertThat(mediator.agentBudgets("solo", T0).get(0).spentMicros()).isEqualTo(6_000_000);
        mediator.readUpTo(T0.plus(Duration.ofMinutes(126)));
        mediator.advanceWallClock(Duration.ofSeconds(10));
        assertThat(mediator.agentBudgets("solo", T0).get(0).spentMicros()).isZero();
    }

    @Test
    void shouldKeepAPoolWindowUntilWhatArrivedInItHasBeenRead() {
        // Given analyst-a spent 6.00 of the pool's 10.00 in the 09:00 hour
        mediator.send(spend("a-1", "analyst-a", 6_000_000), T0);
        mediator.report("a-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(30));
        assertThat(poolHour().spentMicros()).isEqualTo(6_000_000);
        // And the mediator has read up to 09:39, its ledger on to 11:05, and the check ran at 11:06
        mediator.readUpTo(T0.plus(Duration.ofMinutes(39)));
        mediator.send(spend("a-2", "analyst-a", 0), T0.plus(Duration.ofMinutes(125)));
        mediator.advanceWallClock(Duration.ofMinutes(126));

        // When analyst-b's claim of 09:40 (5.00) reaches the pool from a partition that lagged
        AgentIntent late = spend("b-1", "analyst-b", 5_000_000);
        Policy policy = mediator.policy();
        Instant at = T0.plus(Duration.ofMinutes(40));
        mediator.pipe(mediator.topics().ledgerRequests(), LedgerKey.pool("research-team").toString(),
                LedgerRequests.claim(late, "analyst-b", ClaimPlan.steps(late, policy.agent("analyst-b").orElseThrow(), policy), at), at);

        // Then the pool refuses it
        List<LedgerReply> replies = mediator.written(mediator.topics().ledgerReplies());
        assertThat(replies).filteredOn(reply -> reply.getIntentId().equals("b-1")).singleElement()
                .satisfies(reply -> assertThat(reply.getKind()).isEqualTo(LedgerReplyKind.POOL_EXCEEDED));

        // And once everything has been read, the next check forgets the hour
        mediator.readUpTo(T0.plus(Duration.ofMinutes(126)));
        mediator.advanceWallClock(Duration.ofSeconds(10));
        assertThat(poolHour().spentMicros()).isZero();
    }

    @Test
    void shouldKeepAnExecutedCaseUntilTheOutcomesThatArrivedWithinItsRetentionHaveBeenRead() {
        try (PipelineDriver oneHour = new PipelineDriver(POLICY, T0, MediatorConfig.defaults().with(ConfigKeys.CASE_RETENTION, "PT1H"))) {
            // Given solo's s-1 (6.00 of its hour's 10.00) and s-2 executed at 09:00, and only s-1 ever reported
            oneHour.send(spend("s-1", "solo", 6_000_000), T0);
            oneHour.send(spend("s-2", "solo", 1_000_000), T0);
            // And after an outage the mediator has read what arrived up to 09:30 when housekeeping runs at 10:10
            oneHour.readUpTo(T0.plus(Duration.ofMinutes(30)));
            oneHour.advanceWallClock(Duration.ofMinutes(70));

            // When the executor's FAILED of s-1, which arrived at 09:45, within the hour's case retention, is read
            oneHour.report("s-1", OutcomeStatus.FAILED, null, T0.plus(Duration.ofMinutes(45)));

            // Then it releases s-1's 6.00, as it would have before the outage
            assertThat(oneHour.caseFiles().get("s-1").getStage()).isEqualTo(CaseStage.FAILED);
            assertThat(oneHour.agentBudgets("solo", T0).get(0).reservedMicros()).isEqualTo(1_000_000);
            assertThat(oneHour.agentBudgets("solo", T0).get(0).spentMicros()).isZero();

            // And once everything up to 10:10 has been read, s-2, never reported within the hour, is settled at its estimate
            oneHour.readUpTo(T0.plus(Duration.ofMinutes(70)));
            oneHour.advanceWallClock(Duration.ofSeconds(10));
            assertThat(oneHour.caseFiles().get("s-2").getTimeline()).extracting(TimelineEntry::getEvent).contains("SETTLED");
            assertThat(oneHour.agentBudgets("solo", T0).get(0).spentMicros()).isEqualTo(1_000_000);
        }
    }

    private WindowUsage poolHour() {
        List<BudgetLimit> limits = mediator.policy().pools().get("research-team").budgets();
        return BudgetLedger.usage(new StoredBalances(mediator.<WindowBalance>store(LedgerStores.POOLS.balances())::get), "research-team",
                T0, limits, mediator.policy().defaults().zone()).get(0);
    }

    private static AgentIntent spend(String intentId, String agentId, long costMicros) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("llm.call").setTarget("llm:large")
                .setCostMicros(costMicros).setCommitmentMicros(0).setConfidence(0.95).build();
    }
}
