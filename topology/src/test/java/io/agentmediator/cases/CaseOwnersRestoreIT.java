package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.cli.ApproveCommand;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.contract.Contracts;
import io.agentmediator.demo.DemoKeys;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.DecisionWatch;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The store of case owners has no changelog of its own: Kafka Streams restores it from the compacted
 * case-owners topic it is read from. An instance that starts with none of its predecessor's local
 * state must still route an approval to the case it answers.
 */
@Tag("slow")
class CaseOwnersRestoreIT {

    private static final String SCOPE = "case-owners-restore-it";
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir Path dir;

    @AfterEach
    void dropRegistry() {
        SchemaRegistryClients.dropScope(SCOPE);
    }

    @Test
    void shouldRouteAnApprovalToACaseDecidedBeforeTheInstanceLostItsLocalState() throws Exception {
        Contracts.trustGeneratedClasses();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.HTTP_PORT, "0")
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE);

            // Given an escalation decided by one instance, which then stops
            Topics topics;
            try (MediatorApp first = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("first").toString()), new HealthState());
                    DecisionWatch watch = DecisionWatch.start(broker.bootstrapServers(), first.topics())) {
                first.awaitRunning(PATIENCE);
                topics = first.topics();
                escalate(broker, topics, "restore-1");
                await(() -> watch.count("restore-1") == 1, "the escalation of restore-1");
            }

            // When an instance with an empty state directory (another disk) takes over, and the escalation is approved
            try (MediatorApp second = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("second").toString()), new HealthState());
                    DecisionWatch watch = DecisionWatch.start(broker.bootstrapServers(), topics)) {
                second.awaitRunning(PATIENCE);
                Path approver = dir.resolve("approver.properties");
                Files.writeString(approver, "bootstrap.servers=" + broker.bootstrapServers() + "\nschema.registry.url=mock://" + SCOPE + "\n");
                int exit = new CommandLine(new ApproveCommand()).setOut(new PrintWriter(new StringWriter())).execute("restore-1",
                        "--approver", "maria@example.com", "--key-file", keyFile("maria@example.com"), "--config", approver.toString());
                assertThat(exit).isZero();

                // Then the restored owner leads the approval to its case: the intent is executed as approved
                await(() -> watch.count("restore-1") == 2, "the approved decision of restore-1");
                List<Decision> executed = KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(topics.execute().name()),
                                Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
                        .map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                        .toList();
                assertThat(executed).singleElement().satisfies(decision -> {
                    assertThat(decision.getIntentId()).isEqualTo("restore-1");
                    assertThat(decision.getReasons()).extracting(r -> r.getCode()).containsExactly(ReasonCode.APPROVED);
                });
            }
        }
    }

    private static void escalate(EmbeddedKafkaBroker broker, Topics topics, String intentId) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            // The intents topic is broker-stamped: the record's own time is replaced on arrival.
            producer.send(IntentRecords.overAuthorityInvoice(topics, intentId, Instant.now()));
        }
    }

    /** The approver's key as the command line reads it: the example policy requires approvals signed with the demo keys. */
    private String keyFile(String approverId) throws Exception {
        return TestKeys.pemFile(dir.resolve(approverId + ".pem"), DemoKeys.privateKey(approverId)).toString();
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long giveUpAt = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - giveUpAt >= 0) {
                throw new AssertionError("no " + what + " within " + PATIENCE);
            }
            Thread.sleep(100);
        }
    }
}
