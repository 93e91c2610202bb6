package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.contract.Contracts;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.registry.HttpSchemaRegistryClient;
import io.agentmediator.testing.ApicurioRegistry;
import io.agentmediator.testing.DecisionWatch;
import io.agentmediator.testing.FirstDecisionByPartition;
import io.agentmediator.testing.MediatorProcess;
import io.agentmediator.testing.SteadyAgents;
import io.agentmediator.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream thread's static name in the consumer group ({@code <instance.id>-1}) taken by a member that then goes silent
 * without leaving. In a chaos run that member was the thread's own join, sent again while the broker came back and
 * answered after the thread had given up on it; here it is a second process started with the same {@code instance.id}
 * and killed once it has the name. The thread that lost its name used to be replaced under a new one ({@code -2}) while
 * the silent member kept the partitions until the group dropped it (45 s, the session timeout, and in the chaos run more
 * than four minutes); now the process exits and, restarted as Kubernetes restarts a pod, takes the name back.
 */
@Tag("slow")
class TakenInstanceNameIT {

    private static final int PARTITIONS = 3;
    private static final List<String> AGENTS = List.of("agent-0", "agent-1", "agent-2", "agent-3", "agent-4", "agent-5");
    /** Under the group's 45 s session timeout, which a replacement thread under another name waits out at best. */
    private static final Duration RESUMED_WITHIN = Duration.ofSeconds(30);

    @TempDir Path dir;

    @Test
    void aThreadWhoseNameWasTakenIsNotReplacedUnderAnotherButRestartedUnderItsOwn() throws Exception {
        Path policyFile = Files.writeString(dir.resolve("policy.yaml"), SteadyAgents.policyYaml("taken-name-1", AGENTS));
        Contracts.trustGeneratedClasses();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(PARTITIONS).start();
                ApicurioRegistry registry = ApicurioRegistry.start()) {
            Topics topics = new Topics("agent.", HttpSchemaRegistryClient.create(registry.ccompatUrl(), Map.of()));
            Map<String, String> settings = new HashMap<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "application.id", "taken-name-it",
                    "schema.registry.url", registry.ccompatUrl(),
                    "policy.file", policyFile.toString(),
                    "state.dir", dir.resolve("state").toString(),
                    "instance.id", "mediator-0"));
            Map<String, String> impostorSettings = new HashMap<>(settings);
            impostorSettings.put("state.dir", dir.resolve("impostor-state").toString());
            List<Integer> exits = new ArrayList<>();
            MediatorProcess mediator = MediatorProcess.start(dir, "taken-name-0", settings, "-Xmx512m");
            try (DecisionWatch watch = DecisionWatch.start(broker.bootstrapServers(), topics);
                    SteadyAgents agents = SteadyAgents.start(broker.bootstrapServers(), topics, AGENTS, Duration.ofMillis(20))) {
                // Given decisions flowing on every partition
                FirstDecisionByPartition.awaitEachDecidedAfter(System.nanoTime(), PARTITIONS, agents, watch, Duration.ofSeconds(120));

                // When another member joins under its thread's name, and is gone, without leaving, once the thread knows it
                try (MediatorProcess impostor = MediatorProcess.launch(dir, "taken-name-impostor", impostorSettings, "-Xmx512m")) {
                    awaitLogged(mediator, "FencedInstanceIdException", Duration.ofSeconds(120));
                    impostor.kill();
                }
                long goneAt = System.nanoTime();

                // Then the mediator exits with the status of streams failed for good and, restarted under its name, has every
                // partition deciding again well before the group would have dropped the silent member
                long giveUpAt = goneAt + Duration.ofSeconds(120).toNanos();
                long[] resumed = null;
                while (resumed == null && System.nanoTime() - giveUpAt < 0) {
                    if (!mediator.process().isAlive()) {
                        exits.add(mediator.process().exitValue());
                        assertThat(Files.readString(mediator.log().toPath())).contains("takes the name back");
                        mediator = MediatorProcess.launch(dir, "taken-name-" + exits.size(), settings, "-Xmx512m");
                    }
                    resumed = FirstDecisionByPartition.eachDecidedAfter(goneAt, PARTITIONS, agents, watch).orElse(null);
                    Thread.sleep(100);
                }
                assertThat(resumed).as("every partition decided again; see " + mediator.log()).isNotNull();
                Duration untilEveryPartition = Duration.ofNanos(resumed[1] - goneAt);
                System.out.println("TakenInstanceNameIT every partition decided again " + untilEveryPartition.toMillis()
                        + " ms after the member holding the name was gone; exits " + exits);
                assertThat(exits).as("exit statuses; see " + mediator.log()).containsExactly(3);
                assertThat(untilEveryPartition).isLessThan(RESUMED_WITHIN);

                // And no intent was lost or decided twice across it
                agents.stop();
                watch.awaitDecided(agents.sent().stream().map(SteadyAgents.Sent::intentId).toList(), Duration.ofSeconds(120));
                assertThat(agents.sent()).allSatisfy(s -> assertThat(watch.count(s.intentId())).as(s.intentId()).isEqualTo(1));
            } finally {
                mediator.close();
            }
        }
    }

    private static void awaitLogged(MediatorProcess mediator, String text, Duration timeout) throws Exception {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(mediator.log().toPath()).contains(text)) {
            assertThat(System.nanoTime() - giveUpAt).as("'" + text + "' logged within " + timeout + "; see " + mediator.log()).isNegative();
            Thread.sleep(100);
        }
    }
}
