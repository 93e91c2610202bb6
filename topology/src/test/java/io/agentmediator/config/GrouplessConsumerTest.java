package io.agentmediator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The mediator's own readers in no group (the kill switch read ahead of its judgement, the wait of {@code suspend}, the
 * unreadable tails) are built from the settings every client gets, Kafka Streams' own group protocol among them.
 */
class GrouplessConsumerTest {

    @Test
    void shouldMakeAConsumerFromTheSettingsOfAMediatorInKafkaStreamsOwnGroupProtocol() {
        Map<String, Object> streamsClients = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "streams", ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "mediator-0",
                ConsumerConfig.GROUP_ID_CONFIG, "agent-mediator");

        Map<String, Object> settings = GrouplessConsumer.settings(streamsClients);

        assertThat(settings).doesNotContainKeys(ConsumerConfig.GROUP_PROTOCOL_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                ConsumerConfig.GROUP_ID_CONFIG).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer()).close();
    }
}
