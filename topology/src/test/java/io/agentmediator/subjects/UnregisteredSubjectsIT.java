package io.agentmediator.subjects;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.testing.ApicurioRegistry;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MediatorProcess;
import io.agentmediator.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar on a registry it may only read (a registry nobody here wrote, Apicurio), on the real broker: a
 * deployment whose subjects are not all registered is refused at start, naming them, before it creates a topic, not
 * weeks later by the first record of a rare path; {@code schemas register} registers them; then the same deployment
 * starts and escalates an intent, whose subjects a staging run that only executed would not have registered.
 */
@Tag("slow")
class UnregisteredSubjectsIT {

    private static final String APP = "unregistered-subjects-it";

    @TempDir Path dir;

    @Test
    void aReadOnlyDeploymentIsRefusedUntilSchemasRegisterHasRunThenDecides() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); ApicurioRegistry registry = ApicurioRegistry.start()) {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "schema.registry.url", registry.ccompatUrl(),
                    "application.id", APP,
                    "state.dir", Files.createDirectories(dir.resolve("state")).toString(),
                    "auto.register.schemas", "false"));
            Path config = dir.resolve("deployment.properties");
            Files.writeString(config, settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n")) + "\n");

            // Given a registry holding none of the mediator's subjects, a read-only mediator is refused at start
            MediatorProcess refused = MediatorProcess.launch(dir, "refused", settings);
            assertThat(refused.process().waitFor(120, TimeUnit.SECONDS)).as("the refused start exits").isTrue();
            assertThat(refused.process().exitValue()).isNotZero();
            String log = Files.readString(refused.log().toPath());
            assertThat(log).contains("auto.register.schemas=false", "agent.decisions.escalate-value",
                    APP + "-waiting-intents-changelog-value", "schemas register");
            try (Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).as("refused before any topic is created").noneMatch(t -> t.startsWith("agent."));
            }
            // (the commands run where the pods' policy.file is not: a path that exists only in the pods does not stop them)
            Path operatorConfig = dir.resolve("operator.properties");
            Files.writeString(operatorConfig, Files.readString(config) + "policy.file=/etc/agent-mediator/policy/policy.yaml\n");
            Command missing = Command.run(dir, "check-before", "schemas", "check", "--config", operatorConfig.toString());
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.out()).contains("missing  agent.audit-value", "missing  " + APP + "-intent-holdings-changelog-value",
                    "missing  agent.approvals-value");

            // When someone allowed to write registers them
            Command registered = Command.run(dir, "register", "schemas", "register", "--config", operatorConfig.toString());
            assertThat(registered.exit()).as(registered.out()).isZero();
            Command present = Command.run(dir, "check-after", "schemas", "check", "--config", config.toString());
            assertThat(present.exit()).as(present.out()).isZero();
            assertThat(present.out()).contains("present  agent.decisions.escalate-value").doesNotContain("missing");

            // Then the same deployment starts, and an intent sent by an agent (which registers its own subject) is escalated
            try (MediatorProcess mediator = MediatorProcess.start(dir, "read-only", settings)) {
                Topics agents = new Topics("agent.", SchemaRegistryClients.forUrl(registry.ccompatUrl(), Map.of()));
                try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                    producer.send(IntentRecords.intent(agents, "unsure-1", "finance-analyst", "invoice.create", "erp", 1_000, 0, 0.1,
                            Instant.now())).get();
                }
                List<ConsumerRecord<byte[], byte[]>> decided = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                        agents.decisions().stream().map(topic -> topic.name()).toList(), 1, Duration.ofSeconds(60));
                assertThat(decided).hasSize(1);
                Decision decision = agents.escalate().valueSerde().deserializer().deserialize(decided.get(0).topic(), decided.get(0).value());
                assertThat(decision.getIntentId()).isEqualTo("unsure-1");
                assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
            }
        }
    }

    /** One run of the shipped jar's command line, as an operator runs it. */
    private record Command(int exit, String out) {

        static Command run(Path dir, String name, String... args) throws Exception {
            Path output = dir.resolve(name + ".out");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", Path.of(System.getProperty("mediator.jar", "target/agent-mediator.jar")).toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(name + " finishes").isTrue();
            return new Command(process.exitValue(), Files.readString(output));
        }
    }
}
