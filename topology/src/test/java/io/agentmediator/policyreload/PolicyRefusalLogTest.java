package io.agentmediator.policyreload;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.agentmediator.testing.CapturedLog;
import io.agentmediator.testing.PipelineDriver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A refused policy record is one log line of bounded length that cannot forge another: its key is chosen by whoever writes
 * the policies topic. Through the whole topology.
 */
class PolicyRefusalLogTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "policy-refusal-log-1"
            tiers: [MANAGER]
            agents:
              - { id: a, capabilities: { actions: ["*"], targets: ["*"] } }
            """;

    @Test
    void aTombstoneKeyedByHalfAMegabyteWithANewlineIsRefusedInOneShortLine() {
        try (PipelineDriver mediator = new PipelineDriver(POLICY, T0);
                CapturedLog log = new CapturedLog(PolicyValidator.class)) {
            // When
            byte[] key = ("x\nFORGED LINE " + "k".repeat(500_000)).getBytes(StandardCharsets.UTF_8);
            mediator.pipe(mediator.topics().policies(), key, null, T0);

            // Then
            assertThat(log.messages(Level.ERROR)).singleElement().satisfies(line -> assertThat(line)
                    .doesNotContain("\n").hasSizeLessThan(1_000).contains("refused").contains("policy-refusal-log-1 stays in force"));
        }
    }
}
