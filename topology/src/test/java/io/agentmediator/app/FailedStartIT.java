package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.testing.SteadyAgents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails halfway, on the real broker: a second instance in the same process given the state directory the
 * first one holds, which Kafka Streams refuses once the readers, probes and HTTP port before it are open. What the
 * failed start opened must be closed, or a process that embeds the mediator (bench, a test, a supervisor that retries)
 * keeps a second reader of the controls, a second broker probe and the group watchers running for as long as it lives.
 */
@Tag("slow")
class FailedStartIT {

    /** The threads a start opens besides the streams', each one per instance. */
    private static final List<String> PER_INSTANCE = List.of("mediator-suspend-at-once", "broker-probe", "read-horizon", "in-transit-purger");

    @TempDir Path dir;

    @Test
    void aStartRefusedItsStateDirectoryClosesWhatItOpened() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), SteadyAgents.policyYaml("failed-start-1", List.of("agent-a")));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(), Map.of())
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://failed-start-it")
                    .with(ConfigKeys.APPLICATION_ID, "failed-start-it")
                    .with(ConfigKeys.POLICY_FILE, policy.toString())
                    .with(ConfigKeys.STATE_DIR, dir.resolve("state").toString())
                    .with(ConfigKeys.HTTP_PORT, "0");
            try (MediatorApp first = MediatorApp.start(config, new HealthState())) {
                first.awaitRunning(Duration.ofSeconds(60));
                Map<String, Long> running = threads();
                assertThat(running).as("one of each per instance").containsAllEntriesOf(
                        Map.of(PER_INSTANCE.get(0), 1L, PER_INSTANCE.get(1), 1L, PER_INSTANCE.get(2), 1L, PER_INSTANCE.get(3), 1L));

                assertThatThrownBy(() -> MediatorApp.start(config, new HealthState()))
                        .hasMessageContaining("state directory");

                assertThat(threads()).as("the failed start's threads are gone; the first instance's run on").isEqualTo(running);
                assertThat(first.health().problems()).isEmpty();
            }
            assertThat(threads()).as("and the first's once it is closed").isEmpty();
        }
    }

    private static Map<String, Long> threads() throws InterruptedException {
        // A closed executor's thread ends just after close returns.
        Thread.sleep(200);
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(Set.copyOf(PER_INSTANCE)::contains)
                .collect(Collectors.groupingBy(name -> name, Collectors.counting()));
    }
}
