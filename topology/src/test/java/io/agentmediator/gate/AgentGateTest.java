package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.contract.Contracts;
import io.agentmediator.decision.Verdict;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.intake.ReceivedIntent;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.partition.AgentPartition;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.internal.WaitingIntent;
import io.agentmediator.testing.MockPartitionStores;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate processor alone: what it does when deciding itself fails. */
class AgentGateTest {

    private static final byte[] RAW = {0, 0, 0, 0, 1, 42};

    @TempDir File stateDir;

    private MockProcessorContext<Object, Object> context;
    private AgentGate gate;

    @BeforeEach
    void setUp() {
        Contracts.trustGeneratedClasses();
        context = new MockProcessorContext<>(new Properties(), new TaskId(0, 1), stateDir);
        context.setRecordMetadata("agent.intents", 1, 42L);
        MockPartitionStores.addTo(context, new InMemorySchemaRegistry("gate-test"));
        gate = new AgentGate(
                new CurrentPolicy(PolicySource.load("classpath:policies/example.yaml").policy()),
                Duration.ofDays(7),
                Duration.ofSeconds(10),
                (input, state) -> {
                    throw new IllegalStateException("a fault nobody foresaw");
                },
                new DecisionRoutes(UnaryOperator.identity(), Map.of(DecisionOutcome.EXECUTE, "execute-sink", DecisionOutcome.ESCALATE,
                        "escalate-sink", DecisionOutcome.REJECT, "reject-sink"), "audit-sink", "case-owners-sink"),
                "intents-dlq-sink",
                "ledger-requests-sink",
                new ReadHorizon(),
                RecordSize.DEFAULT_MAX_REQUEST_BYTES);
        gate.init(context);
    }

    @Test
    void shouldDeadLetterAnIntentItCannotDecideAndChangeNoState() {
        gate.process(new Record<>("finance-analyst", new ReceivedIntent(intent(List.of()), RAW, List.of()), 1_000L));

        assertThat(context.forwarded()).singleElement().satisfies(forwarded -> {
            assertThat(forwarded.childName()).hasValue("intents-dlq-sink");
            assertThat(forwarded.record().value()).isEqualTo(RAW);
            assertThat(forwarded.record().key()).isEqualTo("finance-analyst".getBytes(StandardCharsets.UTF_8));
            assertThat(header(forwarded, DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("a fault nobody foresaw");
            assertThat(header(forwarded, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("42");
        });
        assertThat(context.<KeyValueStore<String, Object>>getStateStore(GateStores.BUDGETS.balances())
                .approximateNumEntries()).isZero();
        assertThat(context.<KeyValueStore<String, Object>>getStateStore(GateStores.BUDGETS.reservations())
                .approximateNumEntries()).isZero();
    }

    @Test
    void shouldLeaveOutHeadersItsProducerCouldNotSendWithTheLetter() {
        // Given an intent whose headers take nearly all a record may (the broker took it compressed)
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-baggage", new byte[RecordSize.DEFAULT_MAX_REQUEST_BYTES - 400]);

        // When deciding it fails
        gate.process(new Record<>("finance-analyst", new ReceivedIntent(intent(List.of()), RAW, List.of()), 1_000L, headers));

        // Then its letter is one the producer sends: the original headers are left out, and said so
        assertThat(context.forwarded()).singleElement().satisfies(forwarded -> {
            assertThat(forwarded.record().headers().lastHeader("trace-baggage")).isNull();
            assertThat(header(forwarded, DeadLetterHeaders.HEADERS_DROPPED)).endsWith(" bytes");
            assertThat(forwarded.record().value()).isEqualTo(RAW);
            assertThat(RecordSize.fits(RAW, forwarded.record().headers(), RecordSize.DEFAULT_MAX_REQUEST_BYTES)).isTrue();
        });
    }

    @Test
    void shouldLeaveAWokenIntentItCannotDecideWaitingForItsDependencyTimeout() {
        // Given an intent waiting for a dependency
        context.setRecordMetadata("agent.ledger-replies", 1, 7L);
        Instant since = Instant.ofEpochMilli(1_000L);
        AgentIntent intent = intent(List.of("d-1"));
        AuditRecord waited = CaseFiles.waiting(intent, new Verdict(DecisionOutcome.EXECUTE, null, List.of(), List.of()), "v1", since,
                since.plus(Duration.ofHours(24)));
        AgentPartition partition = AgentPartition.open(context, Duration.ofDays(7));
        partition.await("i-1", new WaitingIntent(waited, ByteBuffer.wrap(RAW), Map.of(), since, List.of()));

        // When its dependency completed and the gate fails to decide it
        gate.process(new Record<>("finance-analyst", new ReceivedIntent(intent, RAW, List.of(), waited), 5_000L));

        // Then it is dead-lettered and still waits, so that the dependency timeout decides it rather than nobody
        assertThat(context.forwarded()).singleElement().satisfies(forwarded -> assertThat(forwarded.childName()).hasValue("intents-dlq-sink"));
        assertThat(partition.waiting("i-1")).isNotNull();
    }

    private static AgentIntent intent(List<String> dependsOn) {
        return AgentIntent.newBuilder().setIntentId("i-1").setAgentId("finance-analyst").setAction("invoice.create")
                .setTarget("erp").setCostMicros(1).setConfidence(1.0).setDependsOn(dependsOn).build();
    }

    private static String header(CapturedForward<?, ?> forwarded, String name) {
        return new String(forwarded.record().headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
