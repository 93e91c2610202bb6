package io.agentmediator.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The housekeeping burst benchmark, small, so it cannot rot: nothing of the burst goes before the timed check, some of it in it. */
class HousekeepingBurstBenchmarkTest {

    @ParameterizedTest
    @EnumSource(HousekeepingBurstBenchmark.Kind.class)
    void shouldBuildTheWholeBurstAndTimeTheCheckAtWhichItFallsDue(HousekeepingBurstBenchmark.Kind kind) {
        HousekeepingBurstBenchmark benchmark = new HousekeepingBurstBenchmark();
        benchmark.kind = kind;
        benchmark.burst = 300;
        benchmark.setUp();
        benchmark.build();
        try {
            assertThat(benchmark.left()).as("the whole burst, before the timed check").isEqualTo(300);
            assertThat(benchmark.check()).as("left after the timed check").isLessThan(300);
        } finally {
            benchmark.close();
        }
    }
}
