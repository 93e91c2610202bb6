package io.agentmediator.approvals;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.schema.Approval;
import io.agentmediator.signing.IntentSignatures;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a human's answer to an escalation on the approvals topic, keyed by intent id, in the
 * wire format the mediator reads. Whether the answer counts (the approver's tier and departments)
 * is the mediator's decision, recorded in the case file; nothing is checked here, so the policy in
 * force is the only judge.
 */
public final class ApprovalPublisher {

    private final MediatorConfig config;

    public ApprovalPublisher(MediatorConfig config) {
        this.config = config;
    }

    /**
     * Publishes and waits for the broker's acknowledgement.
     *
     * @param key the approver's Ed25519 private key: the value bytes are signed with it, as the
     *            mediator requires unless the policy relaxes it (docs/SIGNING.md); null sends it unsigned
     */
    public SentApproval publish(Approval approval, PrivateKey key) throws InterruptedException, ExecutionException {
        Topics topics = Topics.of(config);
        String topic = topics.approvals().name();
        Map<String, Object> settings = config.clientSettings();
        // A person's answer must not be lost or written twice by a retry.
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] value = topics.approvalSerde().serializer().serialize(topic, approval);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, approval.getIntentId().getBytes(StandardCharsets.UTF_8), value);
            if (key != null) {
                record.headers()
                        .add(IntentSignatures.SIGNATURE_HEADER, IntentSignatures.sign(value, key))
                        .add(IntentSignatures.KEY_ID_HEADER, approval.getApproverId().getBytes(StandardCharsets.UTF_8));
            }
            RecordMetadata sent = producer.send(record).get();
            return new SentApproval(approval, topic, sent.partition(), sent.offset());
        }
    }
}
