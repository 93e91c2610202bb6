package io.agentmediator.gate;

import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.CurrentPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.partition.CaseFileCodec;
import io.agentmediator.partition.CaseStores;
import io.agentmediator.contract.Contracts;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.intake.ReceivedIntent;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.topics.Topics;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/** The gate processor alone: what it does when deciding itself fails. */
class AgentGateTest {

    @TempDir File stateDir;

    @Test
    void shouldDeadLetterAnIntentItCannotDecideAndChangeNoState() {
        Contracts.trustGeneratedClasses();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(new Properties(), new TaskId(0, 1), stateDir);
        context.setRecordMetadata("agent.intents", 1, 42L);
        GateStores.builders(Duration.ofDays(7), new Topics("agent.", new InMemorySchemaRegistry("gate-test")))
                .forEach(builder -> {
                    // MockProcessorContext supports neither changelogs nor the record cache some of these stores sit behind.
                    var store = builder.withLoggingDisabled().withCachingDisabled().build();
                    store.init(context.getStateStoreContext(), store);
                    context.addStateStore(store);
                });
        CaseStores.agentSide(new CaseFileCodec("agent.audit", new AvroSerde<>(AuditRecord.class, new InMemorySchemaRegistry("gate-test"))))
                .forEach(builder -> {
                    var store = builder.withLoggingDisabled().build();
                    store.init(context.getStateStoreContext(), store);
                    context.addStateStore(store);
                });
        AgentGate gate = new AgentGate(
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
                new ReadHorizon());
        gate.init(context);
        byte[] raw = {0, 0, 0, 0, 1, 42};
        AgentIntent intent = AgentIntent.newBuilder().setIntentId("i-1").setAgentId("finance-analyst").setAction("invoice.create")
                .setTarget("erp").setCostMicros(1).setConfidence(1.0).build();

        gate.process(new Record<>("finance-analyst", new ReceivedIntent(intent, raw, java.util.List.of()), 1_000L));

        assertThat(context.forwarded()).singleElement().satisfies(forwarded -> {
            assertThat(forwarded.childName()).hasValue("intents-dlq-sink");
            assertThat(forwarded.record().value()).isEqualTo(raw);
            assertThat(forwarded.record().key()).isEqualTo("finance-analyst".getBytes(StandardCharsets.UTF_8));
            assertThat(header(forwarded, DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("a fault nobody foresaw");
            assertThat(header(forwarded, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("42");
        });
        assertThat(context.<KeyValueStore<String, Object>>getStateStore(GateStores.BUDGETS.balances())
                .approximateNumEntries()).isZero();
        assertThat(context.<KeyValueStore<String, Object>>getStateStore(GateStores.BUDGETS.reservations())
                .approximateNumEntries()).isZero();
    }

    private static String header(CapturedForward<?, ?> forwarded, String name) {
        return new String(forwarded.record().headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
