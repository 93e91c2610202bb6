package io.agentmediator.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.cli.ApproveCommand;
import io.agentmediator.cli.AuditCommand;
import io.agentmediator.cli.DenyCommand;
import io.agentmediator.cli.PendingCommand;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.contract.Contracts;
import io.agentmediator.demo.DemoKeys;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.json.JsonText;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.CommandRun;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The approver's command line against a real broker and the real mediator: escalations are listed
 * as pending, answered, and their case files read back, exactly as a person would do it.
 */
@Tag("slow")
class ApprovalsIT {

    private static final String SCOPE = "approvals-it";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static MediatorApp app;
    private static Path configFile;

    @BeforeAll
    static void startMediator() throws Exception {
        Contracts.trustGeneratedClasses();
        broker = EmbeddedKafkaBroker.start();
        MediatorConfig config = MediatorConfig.defaults()
                .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                .with(ConfigKeys.STATE_DIR, dir.resolve("state").toString())
                .with(ConfigKeys.HTTP_PORT, "0")
                .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                .with(ConfigKeys.APPLICATION_ID, "approvals-it");
        app = MediatorApp.start(config, new HealthState());
        app.awaitRunning(PATIENCE);
        configFile = dir.resolve("approver.properties");
        Files.writeString(configFile, "bootstrap.servers=" + broker.bootstrapServers() + "\n"
                + "schema.registry.url=mock://" + SCOPE + "\n");
    }

    /**
     * The approver's key as the command line reads it (PKCS#8 PEM): the example policy, which the
     * mediator runs on by default, registers the demo's keys for its approvers and requires signatures.
     */
    private static String keyFile(String approverId) {
        try {
            return TestKeys.pemFile(dir.resolve(approverId + ".pem"), DemoKeys.privateKey(approverId)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopMediator() {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
        SchemaRegistryClients.dropScope(SCOPE);
    }

    @Test
    void shouldListAnEscalationAsPendingAndExecuteItWhenAManagerOfItsDepartmentApproves() {
        // Given a finance invoice over the agent's authority, escalated to a MANAGER
        escalate("it-approve-1");
        CommandRun pending = await(() -> CommandRun.of(new PendingCommand(), "--config", configFile.toString()), r -> r.out().contains("it-approve-1"));
        assertThat(lineOf(pending.out(), "it-approve-1")).contains("finance-analyst", "MANAGER", "OVER_AUTHORITY");
        assertThat(pending.out().lines().findFirst()).hasValueSatisfying(header -> assertThat(header).startsWith("INTENT"));

        // When finance's manager reads the case file and approves that intent, naming its digest
        CommandRun before = CommandRun.of(new AuditCommand(), "it-approve-1", "--config", configFile.toString());
        String digest = lineOf(before.out(), "  intent sha256 ").substring("  intent sha256 ".length()).strip();
        assertThat(digest).hasSize(64);
        CommandRun approve = CommandRun.of(new ApproveCommand(), "it-approve-1", "--approver", "maria@example.com", "--comment", "matches PO-7",
                "--intent-sha256", digest, "--key-file", keyFile("maria@example.com"), "--config", configFile.toString());

        // Then the broker took the approval, and the mediator executes the intent as approved by her
        assertThat(approve.exit()).as(approve.err()).isZero();
        assertThat(approve.out()).startsWith("sent APPROVE for intent it-approve-1 as maria@example.com to agent.approvals");
        Decision executed = awaitDecision(app.topics().execute(), "it-approve-1");
        assertThat(executed.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(executed.getReasons()).extracting(r -> r.getCode()).containsExactly(ReasonCode.APPROVED);
        assertThat(executed.getDecidedBy()).isEqualTo("maria@example.com");
        assertThat(executed.getIntentSha256()).isEqualTo(digest);

        // And the case file shows the approval and the new stage, in text and in JSON
        CommandRun audit = CommandRun.of(new AuditCommand(), "it-approve-1", "--config", configFile.toString());
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("  stage         EXECUTE", "  commitment    6,000.00", "APPROVED: approved by maria@example.com");
        assertThat(lineOf(audit.out(), " APPROVAL ")).contains("maria@example.com", "APPROVE: matches PO-7");
        CommandRun json = CommandRun.of(new AuditCommand(), "it-approve-1", "--json", "--config", configFile.toString());
        assertThat(JsonText.parse(json.out().strip()).get("stage").asText()).isEqualTo("EXECUTE");

        // And it is no longer pending
        assertThat(CommandRun.of(new PendingCommand(), "--config", configFile.toString()).out()).doesNotContain("it-approve-1");
    }

    @Test
    void shouldRejectAnEscalationDeniedByTheBoard() {
        // Given an escalated intent
        escalate("it-deny-1");
        await(() -> CommandRun.of(new PendingCommand(), "--config", configFile.toString(), "--agent", "finance-analyst"),
                r -> r.out().contains("it-deny-1"));

        // When the board denies it, naming the agent as pending listed it
        CommandRun deny = CommandRun.of(new DenyCommand(), "it-deny-1", "--approver", "board@example.com", "--key-file", keyFile("board@example.com"),
                "--agent", "finance-analyst", "--config", configFile.toString());

        // Then it is rejected as denied by the board, and its case file says so
        assertThat(deny.exit()).as(deny.err()).isZero();
        assertThat(deny.out()).startsWith("sent DENY for intent it-deny-1 as board@example.com");
        Decision rejected = awaitDecision(app.topics().reject(), "it-deny-1");
        assertThat(rejected.getReasons()).extracting(r -> r.getCode()).containsExactly(ReasonCode.DENIED);
        assertThat(rejected.getDecidedBy()).isEqualTo("board@example.com");
        CommandRun audit = CommandRun.of(new AuditCommand(), "it-deny-1", "--config", configFile.toString());
        assertThat(audit.out()).contains("  stage         REJECT", "DENIED: denied by board@example.com");
        assertThat(lineOf(audit.out(), " RELEASED ")).contains("mediator", "reservation of 1.00 released");
    }

    @Test
    void shouldChangeNothingWhenAManagerOfAnotherDepartmentApprovesAndSayWhyInTheCaseFile() {
        // Given a finance escalation
        escalate("it-other-dept-1");
        await(() -> CommandRun.of(new PendingCommand(), "--config", configFile.toString(), "--tier", "MANAGER"),
                r -> r.out().contains("it-other-dept-1"));

        // When procurement's manager approves it
        CommandRun approve = CommandRun.of(new ApproveCommand(), "it-other-dept-1", "--approver", "li.wei@example.com",
                "--key-file", keyFile("li.wei@example.com"), "--config", configFile.toString());
        assertThat(approve.exit()).as(approve.err()).isZero();

        // Then the case file records the approval and why it did not count, and the escalation stays open
        CommandRun audit = await(() -> CommandRun.of(new AuditCommand(), "it-other-dept-1", "--config", configFile.toString()),
                r -> r.out().contains("li.wei@example.com"));
        assertThat(audit.out()).contains("  stage         ESCALATE");
        assertThat(lineOf(audit.out(), " APPROVAL ")).contains("li.wei@example.com", "not for finance", "the escalation stays open");
        assertThat(CommandRun.of(new PendingCommand(), "--config", configFile.toString()).out()).contains("it-other-dept-1");
        assertThat(CommandRun.of(new PendingCommand(), "--config", configFile.toString(), "--agent", "procurement-buyer").out())
                .doesNotContain("it-other-dept-1");
        assertThat(decisions(app.topics().execute())).extracting(Decision::getIntentId).doesNotContain("it-other-dept-1");
    }

    @Test
    void shouldExitOneForAnIntentWithoutACaseFileAndShowApprovalsSentForIt() {
        // Given an approval for an intent the mediator never saw
        CommandRun approve = CommandRun.of(new ApproveCommand(), "it-ghost-1", "--approver", "maria@example.com",
                "--key-file", keyFile("maria@example.com"), "--config", configFile.toString());
        assertThat(approve.exit()).as(approve.err()).isZero();

        // When its case file is asked for
        CommandRun audit = await(() -> CommandRun.of(new AuditCommand(), "it-ghost-1", "--config", configFile.toString()),
                r -> r.out().contains("it-ghost-1#approval@"));

        // Then there is none, and the stray approval is shown with why it changed nothing
        assertThat(audit.exit()).isEqualTo(1);
        assertThat(audit.err()).contains("no case file for intent it-ghost-1");
        assertThat(audit.out()).contains("maria@example.com", "has no open case here");
    }

    @Test
    void shouldNameTheMissingTopicWhenTheConfigPointsAtAnotherPrefix() throws Exception {
        // Given a config whose topic prefix the mediator never used
        Path elsewhere = dir.resolve("elsewhere.properties");
        Files.writeString(elsewhere, Files.readString(configFile) + "topic.prefix=nowhere.\n");

        // When the pending list is asked for
        CommandRun pending = CommandRun.of(new PendingCommand(), "--config", elsewhere.toString());

        // Then it fails, saying which topic is missing and what to check
        assertThat(pending.exit()).isEqualTo(1);
        assertThat(pending.err()).contains("the audit topic nowhere.audit does not exist", "topic.prefix");
    }

    private static void escalate(String intentId) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            producer.send(IntentRecords.overAuthorityInvoice(app.topics(), intentId, Instant.now()));
        }
    }

    private static Decision awaitDecision(TopicSpec<String, Decision> topic, String intentId) {
        long giveUpAt = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() - giveUpAt < 0) {
            Optional<Decision> found = decisions(topic).stream().filter(d -> d.getIntentId().equals(intentId)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        return fail("no decision for " + intentId + " on " + topic.name() + " within " + PATIENCE);
    }

    /** Everything committed on a decision topic so far, read the way executors read. */
    private static List<Decision> decisions(TopicSpec<String, Decision> topic) {
        return KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(topic.name()), Integer.MAX_VALUE, Duration.ofSeconds(2))
                .stream()
                .map(r -> topic.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .toList();
    }

    private static CommandRun await(Supplier<CommandRun> command, Predicate<CommandRun> done) {
        long giveUpAt = System.nanoTime() + PATIENCE.toNanos();
        CommandRun last = command.get();
        while (!done.test(last)) {
            if (System.nanoTime() - giveUpAt >= 0) {
                return fail("gave up after " + PATIENCE + "; last output:\n" + last.out() + "\nerrors:\n" + last.err());
            }
            sleep();
            last = command.get();
        }
        return last;
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    private static String lineOf(String text, String containing) {
        return text.lines().filter(line -> line.contains(containing)).findFirst()
                .orElseGet(() -> fail("no line with \"" + containing + "\" in:\n" + text));
    }

}
