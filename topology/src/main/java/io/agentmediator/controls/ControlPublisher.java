package io.agentmediator.controls;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.topics.Topics;
import java.security.PrivateKey;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes a kill switch (or its release) on the controls topic, keyed by agent id or {@code *}. */
public final class ControlPublisher {

    private final MediatorConfig config;

    public ControlPublisher(MediatorConfig config) {
        this.config = config;
    }

    /**
     * Publishes, signed by its operator with {@code key} (unsigned when it is null), and waits for the
     * broker's acknowledgement; returns where it was written.
     */
    public String publish(String scope, Control control, PrivateKey key) throws InterruptedException, ExecutionException {
        String topic = Topics.of(config).controls().name();
        Map<String, Object> settings = config.clientSettings();
        // An operator's switch must not be lost or written twice by a retry.
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            RecordMetadata sent = producer.send(record(topic, scope, control, key)).get();
            return topic + "-" + sent.partition() + "@" + sent.offset();
        }
    }

    static ProducerRecord<String, String> record(String topic, String scope, Control control, PrivateKey key) {
        Headers headers = key == null ? new RecordHeaders() : ControlSignatures.sign(scope, control, key);
        return new ProducerRecord<>(topic, null, scope, control.toJson(), headers);
    }
}
