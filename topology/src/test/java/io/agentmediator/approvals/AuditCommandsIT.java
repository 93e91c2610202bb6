package io.agentmediator.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.cli.AuditCommand;
import io.agentmediator.cli.PendingCommand;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.CommandRun;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.TopicProvisioner;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit} and {@code pending} on an audit topic of many case files, on a real broker: each holds what it shows,
 * not the topic. What a reading kept is counted on its snapshot, since heap is too noisy to assert.
 */
@Tag("slow")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AuditCommandsIT {

    private static final String SCOPE = "audit-commands-it";
    /** Other intents' cases, each escalated then answered, except every {@link #STILL_OPEN_EVERY}th. */
    private static final int OTHER_CASES = 20_000;
    private static final int STILL_OPEN_EVERY = 5_000;
    private static final Instant AT = Instant.now().minusSeconds(3_600);
    private static final Reason OVER = new Reason(ReasonCode.OVER_AUTHORITY, null, "commits 6,000.00, authority is 5,000.00");

    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static MediatorConfig config;
    private static Path configFile;
    private static long written;

    @BeforeAll
    static void writeABusyAuditTopic() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        config = MediatorConfig.defaults()
                .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE);
        configFile = dir.resolve("operator.properties");
        Files.writeString(configFile, "bootstrap.servers=" + broker.bootstrapServers() + "\nschema.registry.url=mock://" + SCOPE + "\n");
        TopicSpec<String, AuditRecord> audit = Topics.of(config).audit();
        try (Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
            new TopicProvisioner(admin, 3, (short) 1, true).provision(List.of(audit));
        }
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.LINGER_MS_CONFIG, "20", ProducerConfig.BATCH_SIZE_CONFIG, "262144"))) {
            Sink sink = new Sink(producer, audit.name(), audit.valueSerde().serializer());
            // The intent asked about, answered, with a stray approval about it; neighbours whose keys begin like its own
            AuditRecord asked = escalated("it-case-1", "finance-analyst", "MANAGER");
            sink.send("it-case-1", asked);
            AuditRecord stray = SampleCases.unmatchedApproval("it-case-1", "agent.approvals-1@4", AT);
            sink.send(stray.getIntentId(), stray);
            sink.send("it-case-10", escalated("it-case-10", "finance-analyst", "MANAGER"));
            AuditRecord neighboursStray = SampleCases.unmatchedApproval("it-case-10", "agent.approvals-0@2", AT);
            sink.send(neighboursStray.getIntentId(), neighboursStray);
            // A case deleted since: its tombstone must hide it
            sink.send("it-gone", escalated("it-gone", "finance-analyst", "MANAGER"));
            sink.send("it-gone", null);
            // One open escalation to the board, among the thousands of other cases
            sink.send("it-board-1", escalated("it-board-1", "procurement-buyer", "BOARD"));
            for (int i = 0; i < OTHER_CASES; i++) {
                String id = "other-" + i;
                AuditRecord escalated = escalated(id, "finance-analyst", "MANAGER");
                sink.send(id, escalated);
                if (i % STILL_OPEN_EVERY != 0) {
                    sink.send(id, SampleCases.answered(escalated, CaseStage.EXECUTE));
                }
            }
            sink.send("it-case-1", SampleCases.answered(asked, CaseStage.EXECUTE));
            written = sink.flushed();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        SchemaRegistryClients.dropScope(SCOPE);
    }

    @Test
    void shouldShowOneIntentsCaseHavingKeptOnlyItsOwnRecords() {
        // Given the busy topic
        // When one intent's case file is asked for
        CommandRun audit = CommandRun.of(new AuditCommand(), "it-case-1", "--config", configFile.toString());
        AuditSnapshot read = new AuditReader(config).read(AuditSelection.aboutIntent("it-case-1"));

        // Then its latest case file and its stray approval are shown, and nothing of its neighbours
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("Case file of intent it-case-1\n", "  stage         EXECUTE", "it-case-1#approval@agent.approvals-1@4")
                .doesNotContain("it-case-10");
        // And the reading went through every record but held those two alone
        assertThat(read.recordsRead()).isEqualTo(written);
        assertThat(read.size()).isEqualTo(2);
    }

    @Test
    void shouldFindNoCaseFileForAnIntentWhoseKeyWasDeleted() {
        // Given a case file followed by its tombstone
        // When it is asked for
        CommandRun audit = CommandRun.of(new AuditCommand(), "it-gone", "--config", configFile.toString());

        // Then there is none, as compaction will leave the topic, and nothing was held
        assertThat(audit.exit()).isEqualTo(1);
        assertThat(audit.err()).contains("no case file for intent it-gone among the " + written + " records on the audit topic");
        assertThat(new AuditReader(config).read(AuditSelection.aboutIntent("it-gone")).size()).isZero();
    }

    @Test
    void shouldListTheOpenEscalationsHavingHeldOnlyThem() {
        // Given the busy topic, where all but five of the escalations were answered later
        // When the pending list is asked for, all of it and the board's
        CommandRun pending = CommandRun.of(new PendingCommand(), "--config", configFile.toString());
        CommandRun board = CommandRun.of(new PendingCommand(), "--tier", "BOARD", "--config", configFile.toString());

        // Then the open ones are listed, oldest first by id at the same time, the board's alone on its list
        assertThat(pending.exit()).as(pending.err()).isZero();
        List<String> open = List.of("it-board-1", "it-case-10", "other-0", "other-10000", "other-15000", "other-5000");
        assertThat(listed(pending)).containsExactlyElementsOf(open);
        assertThat(listed(board)).containsExactly("it-board-1");
        // And the readings held the open escalations only, though they went through every record
        AuditSnapshot all = new AuditReader(config).read(AuditSelection.openEscalations(null, null));
        assertThat(all.size()).isEqualTo(open.size());
        assertThat(all.recordsRead()).isEqualTo(written);
        assertThat(new AuditReader(config).read(AuditSelection.openEscalations("BOARD", null)).size()).isEqualTo(1);
    }

    private static AuditRecord escalated(String intentId, String agentId, String tier) {
        return SampleCases.escalated(intentId, agentId, tier, AT, AT.plusSeconds(86_400), OVER);
    }

    /** The intent ids of the pending table's rows, below its header. */
    private static List<String> listed(CommandRun pending) {
        return pending.out().lines().skip(1).map(line -> line.split(" ")[0]).toList();
    }

    /** Sends case files (null for a tombstone) in the audit topic's encoding, counting what it sent. */
    private static final class Sink {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final Serializer<AuditRecord> values;
        private final AtomicReference<Exception> failed = new AtomicReference<>();
        private long sent;

        Sink(KafkaProducer<byte[], byte[]> producer, String topic, Serializer<AuditRecord> values) {
            this.producer = producer;
            this.topic = topic;
            this.values = values;
        }

        void send(String key, AuditRecord caseFile) {
            byte[] value = caseFile == null ? null : values.serialize(topic, caseFile);
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), (metadata, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                }
            });
            sent++;
        }

        /** How many were sent, once the broker has taken them all. */
        long flushed() {
            producer.flush();
            if (failed.get() != null) {
                throw new IllegalStateException("the broker refused a case file", failed.get());
            }
            return sent;
        }
    }
}
