package io.agentmediator.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The history benchmark, small, so it cannot rot: every intent is executed and each block is timed. */
class HistoryCostTest {

    @ParameterizedTest
    @EnumSource(HistoryCost.Kind.class)
    void shouldExecuteEveryIntentAndTimeEachBlock(HistoryCost.Kind kind) {
        assertThat(HistoryCost.run(kind, 600, 200)).hasSize(3).allSatisfy(micros -> assertThat(micros).isPositive());
    }
}
