package io.agentmediator.bench;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the bench's intents as agents would (acknowledged by all replicas, idempotent), in large
 * batches; a record the broker refused fails the next flush, since a bench that lost intents would
 * wait for decisions that never come.
 */
final class BenchProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    BenchProducer(Map<String, Object> clientSettings) {
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                firstFailure.compareAndSet(null, failure);
            }
        });
    }

    /** Waits until the broker has everything sent; throws if it refused any of it. */
    void flush() {
        producer.flush();
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new KafkaException("the broker refused a bench intent", failure);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
