package io.agentmediator.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.audit.Timeline;
import io.agentmediator.contract.Contracts;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.testing.MockPartitionStores;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a version before this one wrote in open-escalations and awaiting-claims (the registry serde, under each changelog's own
 * subject) reads, and its agent's kept bytes count it as stored, through a note, an unpark and a close.
 */
class OldStoreValuesTest {

    @TempDir File stateDir;

    private MockProcessorContext<Object, Object> context;
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("old-values");
    private final AvroSerde<AuditRecord> old = new AvroSerde<>(AuditRecord.class, registry);

    @BeforeEach
    void setUp() {
        Contracts.trustGeneratedClasses();
        context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0), stateDir);
        MockPartitionStores.addTo(context, registry);
    }

    @SuppressWarnings("unchecked")
    private byte[] putOld(String store, String key, AuditRecord value) {
        StateStore metered = context.getStateStore(store);
        KeyValueStore<Bytes, byte[]> raw = (KeyValueStore<Bytes, byte[]>) ((WrappedStateStore<?, ?, ?>) metered).wrapped();
        byte[] bytes = old.serializer().serialize("agent-mediator-" + store + "-changelog", value);
        raw.put(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)), bytes);
        return bytes;
    }

    @Test
    void oldEscalationAndParkedValuesReadAndCount() {
        Instant t = Instant.parse("2026-11-23T09:00:00Z");
        AuditRecord esc = CaseFiles.unmatched("esc-1", "esc-1", "buyer", "approval", "why ".repeat(200), "someone", "p-1", t);
        AuditRecord parked = CaseFiles.unmatched("park-1", "park-1", "buyer", "approval", "wait ".repeat(100), "someone", "p-1", t);
        byte[] e = putOld(GateStores.OPEN_ESCALATIONS, "esc-1", esc);
        byte[] p = putOld(GateStores.AWAITING_CLAIMS, "park-1", parked);

        AgentPartition partition = AgentPartition.open(context, Duration.ofDays(7));
        assertThat(partition.escalation("esc-1")).isEqualTo(esc);
        assertThat(partition.parked("park-1")).isEqualTo(parked);
        assertThat(partition.keptBytesOf("buyer")).isEqualTo(e.length + p.length);

        // a note into the old escalation, then unpark, then close
        CaseFileValue noted = CaseFileValue.of(CaseFiles.noted(esc, Timeline.entry(t, "APPROVAL", "x", "refused")));
        partition.update("esc-1", noted, true);
        assertThat(partition.keptBytesOf("buyer")).isEqualTo(noted.bytes() + p.length);
        assertThat(partition.unpark("park-1")).isEqualTo(parked);
        assertThat(partition.keptBytesOf("buyer")).isEqualTo(noted.bytes());
        partition.closeEscalation("esc-1", null);
        assertThat(partition.keptBytesOf("buyer")).isZero();
    }
}
