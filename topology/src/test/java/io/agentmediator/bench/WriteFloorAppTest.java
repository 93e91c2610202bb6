package io.agentmediator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class WriteFloorAppTest {

    @Test
    void shouldWriteEachTopicsRecordsPerIntentAtItsSizeAndNothingElse() {
        // Given a floor of three topics: one record an intent, half a record, and two and a quarter, of different sizes
        List<WriteFloorApp.Output> outputs = List.of(
                new WriteFloorApp.Output("audit", 1.0, 1_700),
                new WriteFloorApp.Output("owners", 0.5, 40),
                new WriteFloorApp.Output("balances", 2.25, 120));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-floor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(WriteFloorApp.topology("intents", outputs), props)) {
            TestInputTopic<byte[], byte[]> intents = driver.createInputTopic("intents", new ByteArraySerializer(), new ByteArraySerializer());

            // When 400 intents of 500 bytes, keyed by a 9-byte agent id, pass through it
            for (int i = 0; i < 400; i++) {
                intents.pipeInput(String.format("agent-%03d", i % 7).getBytes(), new byte[500]);
            }

            // Then each topic has its records per intent, each record the census's key + value bytes
            assertWritten(driver, "audit", 400, 1_700);
            assertWritten(driver, "owners", 200, 40);
            assertWritten(driver, "balances", 900, 120);
        }
    }

    private static void assertWritten(TopologyTestDriver driver, String topic, int records, int bytes) {
        TestOutputTopic<byte[], byte[]> output = driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TestRecord<byte[], byte[]>> written = output.readRecordsToList();
        assertThat(written).as(topic).hasSize(records);
        assertThat(written).as(topic).allSatisfy(record -> assertThat(record.key().length + record.value().length).isEqualTo(bytes));
    }
}
