package io.agentmediator.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    private final Policy policy = PolicySource.load("classpath:policies/example.yaml").policy();

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
    void shouldRefuseAnApprovalNamingItsLineWhileTheTopologyReadsNoApprovals() {
        Approval approval = new Approval("e-1", "maria@example.com", ApprovalDecision.APPROVE, null);
        List<BacktestEvent> events = List.of(
                intent(1, T0, "e-1", "finance-analyst"), new BacktestEvent.ApprovalEvent(7, T0.plusSeconds(5), approval));

        assertThatThrownBy(() -> Backtest.run(policy, events))
                .isInstanceOf(BacktestInputException.class)
                .hasMessage("line 7: approval events are not supported by this version of the topology "
                        + "(it does not read agent.approvals)");
    }

    @Test
    void shouldRefuseAnOutcomeBeforePlayingAnyEvent() {
        Outcome outcome = new Outcome("e-1", OutcomeStatus.COMPLETED, null, null, null);
        BacktestEvent outcomeEvent = new BacktestEvent.OutcomeEvent(3, T0, outcome);

        try (Backtest backtest = new Backtest(policy)) {
            assertThatThrownBy(() -> backtest.check(outcomeEvent))
                    .hasMessage("line 3: outcome events are not supported by this version of the topology "
                            + "(it does not read agent.outcomes)");
        }
    }

    @Test
    void shouldRefuseAnEventEarlierThanTheClock() {
        try (Backtest backtest = new Backtest(policy)) {
            backtest.play(new BacktestEvent.Tick(1, T0));

            assertThatThrownBy(() -> backtest.play(new BacktestEvent.Tick(2, T0.minusMillis(1))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
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
