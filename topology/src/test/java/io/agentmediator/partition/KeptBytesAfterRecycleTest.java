package io.agentmediator.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.contract.Contracts;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.testing.MockPartitionStores;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams 4.4 recycles a task between active and standby on the same instance (a task moved to another instance whose
 * standby stays here, and back: scaling out, then in) without closing its stores: ProcessorStateManager.recycle only clears
 * their caches, and registerStateStores skips a store still registered. While standby, the logged stores follow their
 * changelogs; the unlogged kept-bytes-per-agent does not, and keeps its totals and its "counted" note. Back to active, the
 * processors are initialised afresh over those stores: this is what they then find.
 */
class KeptBytesAfterRecycleTest {

    @TempDir File stateDir;

    private MockProcessorContext<Object, Object> context;

    @BeforeEach
    void setUp() {
        Contracts.trustGeneratedClasses();
        context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0), stateDir);
        MockPartitionStores.addTo(context, new InMemorySchemaRegistry("recycle-test"));
    }

    @Test
    void shouldCountAgainWhenTheProcessorsStartOverStoresKeptOpenFromAnEarlierLife() {
        // Given the task active here once, which counted the buyer's total (nothing kept)
        AgentPartition firstLife = AgentPartition.open(context, Duration.ofDays(7));
        assertThat(firstLife.keptBytesOf("buyer")).isZero();

        // And, while the task was active elsewhere and standby here, the buyer's escalation restored into open-escalations
        AuditRecord escalation = CaseFiles.unmatched("esc-1", "esc-1", "buyer", "approval", "why ".repeat(200), "someone", "p-1",
                Instant.parse("2026-11-23T09:00:00Z"));
        CaseFileValue filed = CaseFileValue.of(escalation);
        context.<KeyValueStore<String, CaseFileValue>>getStateStore(GateStores.OPEN_ESCALATIONS).put("esc-1", filed);

        // When the task is active here again and its processors open the partition
        AgentPartition secondLife = AgentPartition.open(context, Duration.ofDays(7));

        // Then the buyer's total is what the stores keep, not what the earlier life counted
        assertThat(secondLife.keptBytesOf("buyer")).isEqualTo(filed.bytes());
    }
}
