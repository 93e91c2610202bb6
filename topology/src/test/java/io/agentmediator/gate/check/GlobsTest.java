package io.agentmediator.gate.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Compiled globs are shared and kept, but not those of every policy version ever in force. */
class GlobsTest {

    @Test
    void shouldKeepNoMoreThanItsBoundOfPatternsAsPolicyVersionsComeAndGo() {
        // Given a hundred policy versions, each with a target glob of 60,000 characters naming its version (6 million in all)
        for (int version = 0; version < 100; version++) {
            String glob = "erp-" + version + "-" + "x".repeat(60_000) + "*";

            // When each is matched while it is in force
            assertThat(Globs.matchesAny(List.of(glob, "erp"), "erp")).isTrue();
            assertThat(Globs.matchesAny(List.of(glob), "erp-" + version + "-" + "x".repeat(60_000) + "-more")).isTrue();
            assertThat(Globs.matchesAny(List.of(glob), "erp")).isFalse();

            // Then what is kept stays within the bound
            assertThat(Globs.keptChars()).isLessThanOrEqualTo(Globs.MAX_CHARS);
        }
    }
}
