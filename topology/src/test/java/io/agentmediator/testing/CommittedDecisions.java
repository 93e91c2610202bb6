package io.agentmediator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.Decision;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The decisions on the three decision topics of a real broker, as executors read them (read_committed). */
public final class CommittedDecisions {

    private CommittedDecisions() {}

    /** Exactly {@code expected} decisions, waiting up to {@code timeout} for them; in no order across the topics. */
    public static List<Decision> read(String bootstrapServers, Topics topics, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommitted(bootstrapServers,
                topics.decisions().stream().map(t -> t.name()).toList(), expected, timeout);
        assertThat(records).as("decisions").hasSize(expected);
        return records.stream().map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
    }
}
