package io.agentmediator.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.gate.GateResult;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each benchmark's setup and one invocation, checked to decide what the mix is made to provoke, so
 * a change of the gate or the policy cannot leave a benchmark timing rejections of malformed input
 * or nothing at all.
 */
class GateBenchmarksTest {

    @Test
    void shouldDecideEveryIntentOfAnInvocationWithEveryOutcome() {
        GateDeciderBenchmark benchmark = new GateDeciderBenchmark();
        benchmark.setUp();

        OutcomeTally tally = benchmark.decide(new ThreadCpu());

        assertThat(tally.decisions()).isEqualTo(GateDeciderBenchmark.BATCH);
        assertThat(tally.count(DecisionOutcome.EXECUTE)).as(tally.toString()).isGreaterThan(GateDeciderBenchmark.BATCH * 6 / 10);
        assertThat(tally.count(DecisionOutcome.ESCALATE)).as(tally.toString()).isPositive();
        assertThat(tally.count(DecisionOutcome.REJECT)).as(tally.toString()).isPositive();
    }

    @Test
    void shouldProvokeEveryReasonAndFireEveryRuleInAPassThroughTheMix() {
        GateDeciderBenchmark benchmark = new GateDeciderBenchmark();
        benchmark.setUp();
        Map<DecisionOutcome, Integer> outcomes = new EnumMap<>(DecisionOutcome.class);
        Set<ReasonCode> reasons = EnumSet.noneOf(ReasonCode.class);
        Set<String> firedRules = new HashSet<>();
        List<DecisionOutcome> firstBatch = new ArrayList<>();

        for (int i = 0; i < GateDeciderBenchmark.MIX; i++) {
            GateResult result = benchmark.decideNext();
            outcomes.merge(result.verdict().outcome(), 1, Integer::sum);
            result.verdict().reasons().stream().map(Reason::getCode).forEach(reasons::add);
            for (CheckResult check : result.verdict().checks()) {
                if (check.getRuleId() != null && check.getStatus() != CheckStatus.PASS) {
                    firedRules.add(check.getRuleId());
                }
            }
            if (i < GateDeciderBenchmark.BATCH) {
                firstBatch.add(result.verdict().outcome());
            }
        }

        assertThat(outcomes.get(DecisionOutcome.EXECUTE)).as(outcomes.toString())
                .isBetween(GateDeciderBenchmark.MIX * 6 / 10, GateDeciderBenchmark.MIX * 85 / 100);
        assertThat(reasons).as("reasons of a pass").containsAll(EnumSet.of(
                ReasonCode.UNKNOWN_AGENT, ReasonCode.ACTION_NOT_ALLOWED, ReasonCode.TARGET_NOT_ALLOWED,
                ReasonCode.DATA_CLASS_NOT_ALLOWED, ReasonCode.DATA_FLOW_NOT_ALLOWED, ReasonCode.RATE_LIMITED,
                ReasonCode.BUDGET_EXCEEDED, ReasonCode.RULE, ReasonCode.OVER_AUTHORITY, ReasonCode.LOW_CONFIDENCE,
                ReasonCode.CROSS_DEPARTMENT));
        assertThat(reasons).as("reasons of a pass").doesNotContain(ReasonCode.RULE_ERROR, ReasonCode.DUPLICATE, ReasonCode.MALFORMED);
        assertThat(firedRules).hasSize(10);

        List<DecisionOutcome> afterWrap = new ArrayList<>();
        for (int i = 0; i < GateDeciderBenchmark.BATCH; i++) {
            afterWrap.add(benchmark.decideNext().verdict().outcome());
        }
        assertThat(afterWrap).as("the second pass decides as the first").isEqualTo(firstBatch);
    }

    @ParameterizedTest
    @EnumSource(TopologyBenchmark.Registry.class)
    void shouldDecideEveryRecordOfAnInvocationThroughTheTopology(TopologyBenchmark.Registry registry) throws Exception {
        TopologyBenchmark benchmark = new TopologyBenchmark();
        benchmark.registry = registry;
        benchmark.setUp();
        benchmark.startDriver();
        try {
            OutcomeTally tally = benchmark.pipe(new ThreadCpu());

            assertThat(tally.decisions()).isEqualTo(TopologyBenchmark.BATCH);
            assertThat(tally.deadLetters()).isZero();
            assertThat(tally.count(DecisionOutcome.EXECUTE)).as(tally.toString()).isGreaterThan(TopologyBenchmark.BATCH * 6 / 10);
            assertThat(tally.count(DecisionOutcome.ESCALATE)).as(tally.toString()).isPositive();
            assertThat(tally.count(DecisionOutcome.REJECT)).as(tally.toString()).isPositive();
        } finally {
            benchmark.stopDriver();
        }
    }

    @Test
    void shouldDecideEveryClaimingIntentOfAnInvocationMostlyWithoutConflicts() throws Exception {
        for (int claims : new int[] {0, 1, 3}) {
            ClaimCostBenchmark benchmark = new ClaimCostBenchmark();
            benchmark.claims = claims;
            benchmark.setUp();
            benchmark.startDriver();
            try {
                assertThat(benchmark.intent(0, ClaimCostBenchmark.START).getClaims()).hasSize(claims);

                OutcomeTally first = benchmark.pipe(new ThreadCpu());
                OutcomeTally second = benchmark.pipe(new ThreadCpu());

                for (OutcomeTally tally : List.of(first, second)) {
                    assertThat(tally.decisions()).as("claims %d: %s", claims, tally).isEqualTo(ClaimCostBenchmark.BATCH);
                    assertThat(tally.count(DecisionOutcome.EXECUTE)).as("claims %d: %s", claims, tally)
                            .isGreaterThan(ClaimCostBenchmark.BATCH * 95 / 100);
                }
            } finally {
                benchmark.stopDriver();
            }
        }
    }
}
