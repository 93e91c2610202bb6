package io.agentmediator.policyreload;

import io.agentmediator.config.GrouplessConsumer;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParseResult;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
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
     * Waits up to {@code patience} for {@code policy} to be accepted as policy {@code policyId}; whether it was. Its content,
     * not only its version: another document of the version sent before it (the same file edited and sent again while no
     * mediator ran, two operators at once) is accepted first, and this one then refused.
     */
    public boolean accepted(String policyId, Policy policy, Duration patience) {
        byte[] key = policyId.getBytes(StandardCharsets.UTF_8);
        PolicyDocument sent = PolicyCodec.toAvro(policy);
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                // Only the policy's own records are decoded: the others may be of schemas this client cannot fetch.
                if (Arrays.equals(key, record.key()) && record.value() != null && sent.equals(bound(record.value()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The document as the mediator compares versions (bound to this version's fields), or null for a record that is not
     * one: the mediator's loader steps over such a record, and so does this wait.
     */
    private PolicyDocument bound(byte[] value) {
        PolicyDocument document;
        try {
            document = accepted.valueSerde().deserializer().deserialize(accepted.name(), value);
        } catch (SerializationException e) {
            // A registry that cannot be reached is no answer about the record: the command fails, saying so.
            if (!RecordFaults.isRecordsFault(e)) {
                throw e;
            }
            return null;
        }
        PolicyParseResult parsed = PolicyCodec.fromAvro(document);
        return parsed.isValid() ? PolicyCodec.toAvro(parsed.policy()) : null;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
