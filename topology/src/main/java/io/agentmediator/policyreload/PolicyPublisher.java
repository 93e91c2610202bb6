package io.agentmediator.policyreload;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a policy on the policies topic under the configured policy id, in the same wire
 * format the mediators read. Validation happens again on the mediator side; publishing a valid
 * document here only spares the round trip.
 */
public final class PolicyPublisher {

    private final MediatorConfig config;

    public PolicyPublisher(MediatorConfig config) {
        this.config = config;
    }

    /** Publishes and waits for the broker's acknowledgement; returns a sentence saying where it went. */
    public String publish(Policy policy) throws InterruptedException, ExecutionException {
        Topics topics = Topics.of(config);
        String policyId = config.get(ConfigKeys.POLICY_ID);
        String topic = topics.policies().name();
        Map<String, Object> props = config.clientSettings();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] value = topics.policySerde().serializer().serialize(topic, PolicyCodec.toAvro(policy));
            RecordMetadata sent = producer.send(
                    new ProducerRecord<>(topic, policyId.getBytes(StandardCharsets.UTF_8), value)).get();
            return "published policy " + policyId + " version " + policy.version() + " to " + topic
                    + " (partition " + sent.partition() + ", offset " + sent.offset() + ")";
        }
    }
}
