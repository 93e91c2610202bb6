package io.agentmediator.policyreload;

import io.agentmediator.config.GrouplessConsumer;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Whether the mediator accepted a policy someone just published: it passes every document it accepts on to the accepted
 * policies topic, and a refused one (a version accepted before with other content, a document over its limits) only to
 * its log and a case file. Opened before the document is sent, so the acceptance cannot be written before the watch
 * begins. No consumer group: it reads from the ends it found, and commits nothing.
 */
public final class PolicyConfirmation implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicSpec<String, PolicyDocument> accepted;

    private PolicyConfirmation(KafkaConsumer<byte[], byte[]> consumer, TopicSpec<String, PolicyDocument> accepted) {
        this.consumer = consumer;
        this.accepted = accepted;
    }

    /** Starts watching the accepted policies topic from its current end. */
    public static PolicyConfirmation watch(MediatorConfig config) {
        TopicSpec<String, PolicyDocument> accepted = Topics.of(config).policiesAccepted();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(GrouplessConsumer.settings(config.clientSettings()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        GrouplessConsumer.fromEnd(consumer, accepted.name());
        return new PolicyConfirmation(consumer, accepted);
    }

    /**
     * Waits up to {@code patience} for version {@code version} of policy {@code policyId} to be accepted; whether it was. The
     * version suffices: the mediator refuses a version it accepted before with other content.
     */
    public boolean accepted(String policyId, String version, Duration patience) {
        byte[] key = policyId.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                // Only the policy's own records are decoded: the others may be of schemas this client cannot fetch.
                if (Arrays.equals(key, record.key()) && record.value() != null
                        && version.equals(accepted.valueSerde().deserializer().deserialize(accepted.name(), record.value()).getVersion())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
