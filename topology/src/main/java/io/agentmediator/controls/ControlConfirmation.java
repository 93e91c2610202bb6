package io.agentmediator.controls;

import io.agentmediator.config.GrouplessConsumer;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Whether the mediator accepted a control someone just published: it writes every control it accepts to the accepted
 * controls topic, and a refused one (an operator the policy does not list, a wrong key, an unsigned control a policy
 * with operators requires signed) only to its log. Opened before the control is sent, so the acceptance cannot be
 * written before the watch begins. No consumer group: it reads from the ends it found, and commits nothing.
 */
public final class ControlConfirmation implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;

    private ControlConfirmation(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
    }

    /** Starts watching the accepted controls topic from its current end. */
    public static ControlConfirmation watch(MediatorConfig config) {
        String topic = Topics.of(config).controlsAccepted().name();
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(GrouplessConsumer.settings(config.clientSettings()),
                new StringDeserializer(), new StringDeserializer());
        GrouplessConsumer.fromEnd(consumer, topic);
        return new ControlConfirmation(consumer);
    }

    /** Waits up to {@code patience} for {@code control} to be accepted for {@code scope}; whether it was. */
    public boolean accepted(String scope, Control control, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (scope.equals(record.key()) && record.value() != null && control.equals(readable(record.value()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** What the mediator wrote, or null for what is not a control (anyone with write access may have written there). */
    private static Control readable(String json) {
        try {
            return AcceptedControl.fromJson(json).control();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
