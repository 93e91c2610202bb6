package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.ratelimit.TokenBucket;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The decider alone, with state handed in: cases the topology cannot easily set up. */
class GateDeciderTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private final Policy policy = PolicyParser.parse("t.yaml", """
            version: "t-1"
            agents:
              - id: a
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 10000000, warnAt: 0.5 } ]
            """).policy();
    private final GateDecider decider = new GateDecider();

    @Test
    void shouldAnswerDuplicateForAnIntentStillHoldingAReservationAfterItsIdWasForgotten() {
        // Given an escalation kept open longer than the dedupe retention: its id is forgotten, its reservation is not
        BudgetLedger ledger = new BudgetLedger();
        ledger.tryReserve("i-1", 1_000_000, T0, policy.agent("a").orElseThrow().budgets(), policy.defaults().zone());
        GateState state = state(ledger);

        GateResult result = decider.decide(input(intent("i-1", 1_000_000), T0.plusSeconds(60)), state);

        assertThat(result.duplicate()).isTrue();
        assertThat(result.verdict().reasons().get(0).getCode()).isEqualTo(ReasonCode.DUPLICATE);
        assertThat(result.ledger()).isNull();
    }

    @Test
    void shouldRejectAmountsTooLargeForExactArithmeticAsMalformed() {
        GateResult result = decider.decide(input(intent("i-2", Long.MAX_VALUE), T0), state(new BudgetLedger()));

        assertThat(result.verdict().outcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(result.verdict().reasons().get(0).getCode()).isEqualTo(ReasonCode.MALFORMED);
        assertThat(result.verdict().reasons().get(0).getMessage()).contains("costMicros is above the largest amount");
    }

    @Test
    void shouldSayInTheCaseFileWhenAWindowIsPastItsWarning() {
        GateResult result = decider.decide(input(intent("i-3", 6_000_000), T0), state(new BudgetLedger()));

        assertThat(result.verdict().outcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(result.verdict().checks())
                .filteredOn(c -> c.getCheck().equals("budget"))
                .singleElement()
                .satisfies(c -> assertThat(c.getDetail()).contains("at 60 %, past its warning at 50 %"));
    }

    @Test
    void shouldRefuseAForeignIdBeforeAskingWhetherItWasDecidedAndRememberNothingOfIt() {
        // Given ids that must name their agent, and a state in which every id was decided before
        Policy prefixed = prefixedPolicy();
        GateState decidedBefore = state(new BudgetLedger(), true);

        GateResult result = decider.decide(new GateInput("a", intent("b:1", 0), new byte[0], new RecordHeaders(), T0, prefixed, null),
                decidedBefore);

        // Then agent a's intent under b's id is MALFORMED, not DUPLICATE, and its id is not to be remembered
        assertThat(result.duplicate()).isFalse();
        assertThat(result.decided()).isFalse();
        assertThat(result.verdict().reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.MALFORMED);
            assertThat(reason.getMessage()).contains("intentId must start with \"a:\"");
        });
    }

    @Test
    void shouldCloseUnderItsIdTheCaseOfAnIntentThatWaitedAndNoLongerNamesItsAgent() {
        // Given an intent that began to wait, its id remembered, before the policy required ids to name their agent
        GateInput resumed = new GateInput("a", intent("i-5", 0), new byte[0], new RecordHeaders(), T0, prefixedPolicy(), null, true);

        GateResult result = decider.decide(resumed, state(new BudgetLedger()));

        // Then it is rejected, as decided: its case file is the one under its id, not one filed apart
        assertThat(result.verdict().outcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(result.verdict().reasons().get(0).getCode()).isEqualTo(ReasonCode.MALFORMED);
        assertThat(result.decided()).isTrue();
    }

    private static Policy prefixedPolicy() {
        return PolicyParser.parse("prefixed.yaml", """
                version: "t-2"
                defaults: { intentIdPrefix: AGENT }
                agents:
                  - id: a
                    capabilities: { actions: ["*"], targets: ["*"] }
                """).policy();
    }

    private GateInput input(AgentIntent intent, Instant at) {
        return new GateInput("a", intent, new byte[0], new RecordHeaders(), at, policy, null);
    }

    private static AgentIntent intent(String id, long cost) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId("a").setAction("x").setTarget("y")
                .setCostMicros(cost).setCommitmentMicros(0).setConfidence(1.0).setAlternatives(List.of())
                .setDataClasses(List.of()).setDepartments(List.of()).setClaims(List.of()).setDependsOn(List.of())
                .setAttributes(Map.of()).build();
    }

    private static GateState state(BudgetLedger ledger) {
        return state(ledger, false);
    }

    /** {@code decided}: whether every id counts as decided before. */
    private static GateState state(BudgetLedger ledger, boolean decided) {
        return new GateState() {
            @Override
            public boolean alreadyDecided(String intentId) {
                return decided;
            }

            @Override
            public TokenBucket bucket(String agentId) {
                return null;
            }

            @Override
            public BudgetLedger ledger(String agentId) {
                return ledger;
            }

            @Override
            public long waiting(String agentId) {
                return 0;
            }

            @Override
            public long keptBytes(String agentId) {
                return 0;
            }
        };
    }
}
