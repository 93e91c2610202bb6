package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy file at start is held to the limits a published document is: a name longer than any id stops the start. */
class PolicyFileLimitsTest {

    @TempDir Path dir;

    @Test
    void shouldNotStartOnAPolicyFileWithAPoolNamedLongerThanAnId() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"),
                "version: \"v1\"\npools:\n  - id: %s\n    budgets: []\n".formatted("p".repeat(256)));
        // No broker: the file is read before anything reaches the cluster
        MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(), Map.of(
                "policy.file", policy.toString(), "bootstrap.servers", "127.0.0.1:1", "http.port", "0"));

        assertThatThrownBy(() -> MediatorApp.start(config, new HealthState()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy.yaml: pools[0].id is 256 characters, more than the 255 of limits.id.max.chars");
    }
}
