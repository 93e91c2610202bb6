package io.agentmediator.testing;

import io.agentmediator.partition.CaseFileCodec;
import io.agentmediator.partition.CaseStores;
import io.agentmediator.partition.GateStores;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.MockProcessorContext;

/** Every store of an agent partition, as the topology builds them, in a MockProcessorContext: for processors tested alone. */
public final class MockPartitionStores {

    private MockPartitionStores() {}

    /** Adds the partition's stores to {@code context}, their values encoded through {@code registry}. */
    public static void addTo(MockProcessorContext<?, ?> context, SchemaRegistryClient registry) {
        // MockProcessorContext supports neither changelogs nor the record cache some of these stores sit behind.
        GateStores.builders(Duration.ofDays(7), new Topics("agent.", registry)).forEach(builder -> {
            var store = builder.withLoggingDisabled().withCachingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        });
        CaseStores.agentSide(new CaseFileCodec("agent.audit", new AvroSerde<>(AuditRecord.class, registry))).forEach(builder -> {
            var store = builder.withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        });
    }
}
