package io.agentmediator.demo;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one producer the demo's simulated agents, approvers and executors write through. Records
 * with one key keep their order, so an ineligible approval reaches the mediator before the
 * eligible answer to the same intent. A record the broker refused fails the next flush: a demo
 * that lost records would count wrong.
 */
final class RecordSender implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    RecordSender(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                firstFailure.compareAndSet(null, failure);
            }
        });
    }

    /** Sends all and waits until the broker has them. */
    void sendAll(List<ProducerRecord<byte[], byte[]>> records) {
        records.forEach(this::send);
        flush();
    }

    /** Waits until the broker has everything sent; throws if it refused any of it. */
    void flush() {
        producer.flush();
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new KafkaException("the broker refused a demo record", failure);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
