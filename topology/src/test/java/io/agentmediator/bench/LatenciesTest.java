package io.agentmediator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void shouldTakeTheNearestRank() {
        // Given the latencies 1 ms to n ms, added in reverse
        // Then p50, p99 and p99.9 are the values ranked ceil(p * n): at 1,000 samples p99.9 is the 999th, not the largest
        assertThat(ranks(1_000)).containsExactly(500L, 990L, 999L);
        assertThat(ranks(2_000)).containsExactly(1_000L, 1_980L, 1_998L);
        assertThat(ranks(7)).containsExactly(4L, 7L, 7L);
        assertThat(ranks(1)).containsExactly(1L, 1L, 1L);
        assertThat(new Latencies().perMille(999)).isZero();
    }

    private static long[] ranks(int n) {
        Latencies latencies = new Latencies();
        for (int ms = n; ms >= 1; ms--) {
            latencies.add(ms);
        }
        return new long[] {latencies.perMille(500), latencies.perMille(990), latencies.perMille(999)};
    }
}
