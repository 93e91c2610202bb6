package io.agentmediator.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.demo.DemoKeys;
import io.agentmediator.json.DecisionJson;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacktestTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final int CAPTURED_SCHEMA_ID = 42;

    private final Policy policy = PolicySource.load("classpath:policies/example.yaml").policy();

    /**
     * More escalations pass their deadline together than one pass of the check decides (PacedCheck, 25): a running mediator
     * comes back 100 ms later while passes leave work, so the backtest does too, rather than a pass at each later event.
     */
    @Test
    void shouldExpireEveryEscalationPastItsDeadlineAsARunningMediatorWould() {
        // Given 60 escalations (over the analyst's authority), then a tick past all their deadlines, then one more intent
        List<BacktestEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            events.add(new BacktestEvent.IntentEvent(i + 1, T0.plusSeconds(i), AgentIntent.newBuilder().setIntentId("big-" + i)
                    .setAgentId("finance-analyst").setAction("invoice.create").setTarget("erp").setCostMicros(100_000)
                    .setCommitmentMicros(6_000_000_000L).setConfidence(0.9).setClaims(List.of()).build()));
        }
        Instant tick = T0.plus(Duration.ofHours(5));
        events.add(new BacktestEvent.Tick(61, tick));

        // When they are played
        List<Decision> expired = Backtest.run(policy, events).stream().filter(d -> d.getOutcome() == DecisionOutcome.REJECT).toList();

        // Then every one expires in the ten seconds before the tick (a running mediator's checks ran during the quiet
        // stretch), not 25 and the rest at some later event
        assertThat(expired).hasSize(60).allSatisfy(decision -> {
            assertThat(decision.getReasons().get(0).getCode()).isEqualTo(ReasonCode.ESCALATION_EXPIRED);
            assertThat(decision.getDecidedAt()).isBetween(tick.minusSeconds(10), tick);
        });
    }

    /**
     * A running mediator's checks work through what fell due in a quiet stretch long before the next intent arrives, so the
     * intent is judged without the budget the expired escalations held; the backtest works the backlog through first too.
     */
    @Test
    void shouldReleaseEveryExpiredEscalationBeforeTheNextIntentIsJudged() {
        // Given 30 escalations reserving 1.00 each of the analyst's 50.00 day, then, past their deadlines, an intent of 48.00
        List<BacktestEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(spending(i + 1, T0.plusSeconds(i), "big-" + i, 1_000_000, 6_000_000_000L));
        }
        events.add(spending(31, T0.plus(Duration.ofHours(5)), "after", 48_000_000, 0));

        // When they are played
        Decision after = Backtest.run(policy, events).stream().filter(d -> d.getIntentId().equals("after")).findFirst().orElseThrow();

        // Then nothing the escalations reserved is held when it is judged: it executes
        assertThat(after.getOutcome()).as("%s", after.getReasons()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    /**
     * Working a backlog through never runs a check later than the event about to be played: an approval sent just before
     * its escalation's deadline, behind a backlog of other expiries, still finds it open.
     */
    @Test
    void shouldApplyAnApprovalSentJustBeforeItsDeadlineBehindABacklogOfExpiries() {
        // Given 30 escalations half a second apart, one more (x) a few seconds after them, and x's approval 50 ms before its
        // deadline, when the others have all fallen due
        List<BacktestEvent> events = new java.util.ArrayList<>();
        int line = 1;
        for (int i = 0; i < 30; i++) {
            events.add(overAuthority(line++, T0.plusMillis(500L * i), "big-" + i));
        }
        events.add(overAuthority(line++, T0.plusSeconds(20), "x"));
        events.add(signed(line, T0.plus(Duration.ofHours(4)).plusSeconds(20).minusMillis(50),
                new Approval("x", "maria@example.com", ApprovalDecision.APPROVE, "in time", null, null)));

        // When they are played
        List<Decision> decisions = Backtest.run(policy, events);

        // Then x is executed, and the 30 before it expired before its approval was read
        assertThat(decisions).filteredOn(d -> d.getIntentId().equals("x") && d.getOutcome() != DecisionOutcome.ESCALATE)
                .singleElement().satisfies(d -> assertThat(d.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE));
        assertThat(decisions).filteredOn(d -> d.getOutcome() == DecisionOutcome.REJECT).hasSize(30);
    }

    /**
     * A pass of the deadline check takes answered escalations off its index without deciding anything: with more of them
     * due than a pass takes, the unanswered ones behind them are expired by the follow-ups, as a running mediator's are.
     */
    @Test
    void shouldExpireTheUnansweredEscalationsBehindAPassOfAnsweredOnes() {
        // Given 40 escalations, the first 30 approved in time, then a tick past every deadline
        List<BacktestEvent> events = new java.util.ArrayList<>();
        int line = 1;
        for (int i = 0; i < 40; i++) {
            events.add(overAuthority(line++, T0.plusSeconds(i), "big-" + i));
        }
        for (int i = 0; i < 30; i++) {
            events.add(signed(line++, T0.plusSeconds(60 + i),
                    new Approval("big-" + i, "maria@example.com", ApprovalDecision.APPROVE, "ok", null, null)));
        }
        events.add(new BacktestEvent.Tick(line, T0.plus(Duration.ofHours(5))));

        // When they are played
        List<Decision> decisions = Backtest.run(policy, events);

        // Then the 30 execute and the 10 left unanswered expire
        assertThat(decisions).filteredOn(d -> d.getOutcome() == DecisionOutcome.EXECUTE).hasSize(30);
        assertThat(decisions).filteredOn(d -> d.getOutcome() == DecisionOutcome.REJECT).hasSize(10)
                .allSatisfy(d -> assertThat(d.getReasons().get(0).getCode()).isEqualTo(ReasonCode.ESCALATION_EXPIRED));
    }

    /**
     * A record can start work a check finishes in passes: a task undone after it completed tells its dependents 200 at a
     * time. When that record is the file's last, the backtest still makes the follow-ups a running mediator would.
     */
    @Test
    void shouldCloseEveryEscalatedDependentOfATaskUndoneByTheLastEvent() {
        // Given a task, 250 dependents it woke that escalated, and then the task reported COMPENSATED
        List<BacktestEvent> events = new java.util.ArrayList<>();
        int line = 1;
        events.add(new BacktestEvent.IntentEvent(line++, T0, migration("plan", 0.9, List.of())));
        for (int i = 0; i < 250; i++) {
            events.add(new BacktestEvent.IntentEvent(line++, T0.plusSeconds(1), migration("step-" + i, 0.5, List.of("plan"))));
        }
        events.add(signed(line++, T0.plusSeconds(60), new Outcome("plan", OutcomeStatus.COMPLETED, null, "executor:deploy-bot", null, null, null)));
        events.add(signed(line, T0.plusSeconds(120), new Outcome("plan", OutcomeStatus.COMPENSATED, null, "executor:deploy-bot", null, null, null)));

        // When they are played
        List<Decision> decisions = Backtest.run(policy, events);

        // Then every dependent escalated and every one was closed
        assertThat(decisions).filteredOn(d -> d.getOutcome() == DecisionOutcome.ESCALATE).hasSize(250);
        assertThat(decisions).filteredOn(d -> d.getOutcome() == DecisionOutcome.REJECT).hasSize(250)
                .allSatisfy(d -> assertThat(d.getReasons().get(0).getCode()).isEqualTo(ReasonCode.DEPENDENCY_FAILED));
    }

    @Test
    void shouldExecuteAKnownAgentsIntentAtItsTime() {
        List<BacktestEvent> events = List.of(intent(1, T0, "i-1", "finance-analyst"));

        List<Decision> decisions = Backtest.run(policy, events);

        assertThat(decisions).singleElement().satisfies(decision -> {
            assertThat(decision.getIntentId()).isEqualTo("i-1");
            assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
            assertThat(decision.getDecidedAt()).isEqualTo(T0);
            assertThat(decision.getPolicyVersion()).isEqualTo(policy.version());
        });
    }

    @Test
    void shouldRejectAnUnknownAgentsIntentSayingWhy() {
        List<BacktestEvent> events = List.of(intent(1, T0, "i-2", "shadow-agent"));

        List<Decision> decisions = Backtest.run(policy, events);

        assertThat(decisions).singleElement().satisfies(decision -> {
            assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
            assertThat(decision.getReasons()).extracting(reason -> reason.getCode()).containsExactly(ReasonCode.UNKNOWN_AGENT);
        });
    }

    @Test
    void shouldKeepTheOrderOfTheEventsAcrossTheDecisionTopics() {
        List<BacktestEvent> events = List.of(
                intent(1, T0, "r-1", "shadow-agent"),
                intent(2, T0, "e-1", "finance-analyst"),
                intent(3, T0.plusSeconds(1), "r-2", "shadow-agent"),
                new BacktestEvent.Tick(4, T0.plusSeconds(60)),
                intent(5, T0.plusSeconds(60), "e-2", "research-assistant"),
                intent(6, T0.plusSeconds(61), "r-3", "marketing-bot"));

        List<Decision> decisions = Backtest.run(policy, events);

        assertThat(decisions).extracting(Decision::getIntentId).containsExactly("r-1", "e-1", "r-2", "e-2", "r-3");
        assertThat(decisions).extracting(Decision::getOutcome).containsExactly(
                DecisionOutcome.REJECT, DecisionOutcome.EXECUTE, DecisionOutcome.REJECT, DecisionOutcome.EXECUTE, DecisionOutcome.REJECT);
    }

    @Test
    void shouldDecideTheSameWayEveryRun() {
        List<BacktestEvent> events = List.of(
                intent(1, T0, "e-1", "finance-analyst"),
                intent(2, T0.plusMillis(5), "r-1", "shadow-agent"),
                intent(3, T0.plusMillis(5), "e-2", "research-assistant"));

        List<String> first = Backtest.run(policy, events).stream().map(DecisionJson::write).toList();
        List<String> second = Backtest.run(policy, events).stream().map(DecisionJson::write).toList();

        assertThat(second).hasSize(3).isEqualTo(first);
    }

    @Test
    void shouldTurnAnEscalationIntoExecutionWhenAnEligibleApproverApprovesSigned() {
        // Given maria's approval as her tool produced it, signed with the key the example policy registers for her
        Approval approval = new Approval("e-1", "maria@example.com", ApprovalDecision.APPROVE, "receipts checked", null, null);
        List<BacktestEvent> events = List.of(overAuthority(1, T0, "e-1"), signed(2, T0.plusSeconds(60), approval));

        // When
        List<Decision> decisions = Backtest.run(policy, events);

        // Then it counted
        assertThat(decisions).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE, DecisionOutcome.EXECUTE);
        assertThat(decisions.get(1).getDecidedBy()).isEqualTo("maria@example.com");
        assertThat(decisions.get(1).getReasons().get(0).getCode()).isEqualTo(ReasonCode.APPROVED);
    }

    @Test
    void shouldRefuseAnUnsignedApprovalAndOneWhoseSignatureDoesNotVerify() {
        // Given maria's approval unsigned, and again with a signature header her key never made
        Approval approval = new Approval("e-1", "maria@example.com", ApprovalDecision.APPROVE, "receipts checked", null, null);
        Map<String, String> forged = Map.of("mediator-signature", Base64.getEncoder().encodeToString(new byte[64]),
                "mediator-key-id", "maria@example.com");
        List<BacktestEvent> events = List.of(
                overAuthority(1, T0, "e-1"),
                new BacktestEvent.ApprovalEvent(2, T0.plusSeconds(60), approval),
                new BacktestEvent.ApprovalEvent(3, T0.plusSeconds(61), approval, forged));

        // When
        List<Decision> decisions = Backtest.run(policy, events);

        // Then the example policy, which requires signed approvals, counts neither: the escalation stays open
        assertThat(decisions).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE);
    }

    @Test
    void shouldExpireAnUnansweredEscalationWhenTicksPassItsDeadline() {
        List<BacktestEvent> events = List.of(
                overAuthority(1, T0, "e-2"),
                new BacktestEvent.Tick(2, T0.plus(Duration.ofHours(3))),
                new BacktestEvent.Tick(3, T0.plus(Duration.ofHours(4))));

        List<Decision> decisions = Backtest.run(policy, events);

        assertThat(decisions).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE, DecisionOutcome.REJECT);
        assertThat(decisions.get(1).getReasons().get(0).getCode()).isEqualTo(ReasonCode.ESCALATION_EXPIRED);
        assertThat(decisions.get(1).getDecidedAt()).isEqualTo(T0.plus(Duration.ofHours(4)));
    }

    @Test
    void shouldAcceptAnOutcomeWhichDecidesNothing() {
        Outcome outcome = new Outcome("e-3", OutcomeStatus.COMPLETED, 90_000L, "executor:finance-analyst", null, null, null);
        List<BacktestEvent> events = List.of(intent(1, T0, "e-3", "finance-analyst"), signed(2, T0.plusSeconds(5), outcome));

        assertThat(Backtest.run(policy, events)).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRefuseAnEventEarlierThanTheClock() {
        try (Backtest backtest = new Backtest(policy)) {
            backtest.play(new BacktestEvent.Tick(1, T0));

            assertThatThrownBy(() -> backtest.play(new BacktestEvent.Tick(2, T0.minusMillis(1))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** An approval as a cluster's producer wrote it (schema id 42 on that cluster), signed with its approver's demo key. */
    private static BacktestEvent signed(int line, Instant at, Approval approval) {
        byte[] value = CapturedRecords.approval(CAPTURED_SCHEMA_ID, approval);
        return raw(line, at, RawEvent.Kind.APPROVALS, approval.getIntentId(), value, approval.getApproverId());
    }

    /** An outcome as its executor wrote it, signed with the executor's demo key. */
    private static BacktestEvent signed(int line, Instant at, Outcome outcome) {
        byte[] value = CapturedRecords.outcome(CAPTURED_SCHEMA_ID, outcome);
        return raw(line, at, RawEvent.Kind.OUTCOMES, outcome.getIntentId(), value, outcome.getReportedBy());
    }

    private static BacktestEvent raw(int line, Instant at, RawEvent.Kind kind, String key, byte[] value, String signer) {
        return new RawEvent(line, at, kind, key, value, Map.of(
                "mediator-signature", CapturedRecords.signature(value, DemoKeys.privateKey(signer)), "mediator-key-id", signer));
    }

    private static BacktestEvent overAuthority(int line, Instant at, String intentId) {
        return new BacktestEvent.IntentEvent(line, at, AgentIntent.newBuilder()
                .setIntentId(intentId).setAgentId("finance-analyst").setAction("invoice.create").setTarget("erp")
                .setCostMicros(100_000).setCommitmentMicros(6_000_000_000L).setConfidence(0.9).setClaims(List.of()).build());
    }

    private static BacktestEvent spending(int line, Instant at, String intentId, long costMicros, long commitmentMicros) {
        return new BacktestEvent.IntentEvent(line, at, AgentIntent.newBuilder()
                .setIntentId(intentId).setAgentId("finance-analyst").setAction("invoice.create").setTarget("erp")
                .setCostMicros(costMicros).setCommitmentMicros(commitmentMicros).setConfidence(0.9).setClaims(List.of()).build());
    }

    private static AgentIntent migration(String intentId, double confidence, List<String> dependsOn) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("deploy-bot").setAction("migration.run").setTarget("k8s")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(confidence).setClaims(List.of()).setDependsOn(dependsOn).build();
    }

    private static BacktestEvent intent(int line, Instant at, String intentId, String agentId) {
        return new BacktestEvent.IntentEvent(
                line,
                at,
                AgentIntent.newBuilder()
                        .setIntentId(intentId)
                        .setAgentId(agentId)
                        .setAction("report.generate")
                        .setTarget("llm:small")
                        .setCostMicros(100_000)
                        .setConfidence(0.9)
                        // Set, not defaulted: Avro refuses to copy a record-typed default before a serde has trusted its class.
                        .setClaims(List.of())
                        .build());
    }
}
