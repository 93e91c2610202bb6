package io.agentmediator.testing;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Intents as an agent produces them: keyed by agent id, Avro in the wire format, at a given timestamp. */
public final class IntentRecords {

    private IntentRecords() {}

    /** A finance invoice over the agent's authority in the example policy: escalated to a MANAGER. */
    public static ProducerRecord<byte[], byte[]> overAuthorityInvoice(Topics topics, String intentId, Instant at) {
        return intent(topics, intentId, "finance-analyst", "invoice.create", "erp", 1_000_000L, 6_000_000_000L, at);
    }

    /** {@code intent} keyed by its agent, timestamped by the producer. */
    public static ProducerRecord<byte[], byte[]> of(Topics topics, AgentIntent intent) {
        return new ProducerRecord<>(topics.intents().name(), intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                topics.intentSerde().serializer().serialize(topics.intents().name(), intent));
    }

    /** Sends the intents as their agents do and waits until the broker has acknowledged them all. */
    public static void sendAll(KafkaProducer<byte[], byte[]> producer, Topics topics, List<AgentIntent> intents)
            throws InterruptedException, ExecutionException {
        KafkaTestClients.sendAll(producer, intents.stream().map(intent -> of(topics, intent)).toList());
    }

    public static ProducerRecord<byte[], byte[]> intent(
            Topics topics, String intentId, String agentId, String action, String target, long costMicros, long commitmentMicros, Instant at) {
        return intent(topics, intentId, agentId, action, target, costMicros, commitmentMicros, 0.9, at);
    }

    public static ProducerRecord<byte[], byte[]> intent(Topics topics, String intentId, String agentId, String action, String target,
            long costMicros, long commitmentMicros, double confidence, Instant at) {
        AgentIntent intent = AgentIntent.newBuilder()
                .setIntentId(intentId)
                .setAgentId(agentId)
                .setAction(action)
                .setTarget(target)
                .setCostMicros(costMicros)
                .setCommitmentMicros(commitmentMicros)
                .setConfidence(confidence)
                .setClaims(List.of())
                .build();
        return new ProducerRecord<>(topics.intents().name(), null, at.toEpochMilli(), agentId.getBytes(StandardCharsets.UTF_8),
                topics.intentSerde().serializer().serialize(topics.intents().name(), intent));
    }
}
