package io.agentmediator.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * A guarded processor through a real Kafka Streams task and the mediator's exception handlers: a
 * record it fails on half-way leaves its stores as they were, sends nothing, and is dead-lettered
 * as it was read; the next record is processed. A punctuation entry that fails is skipped alone.
 */
class GuardedTest {

    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final String DLQ = "test.dlq";

    /** Adds each record's value to a running total and a per-key copy, then fails on "poison" after writing. */
    private static final class Tally implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;
        private KeyValueStore<String, String> copies;
        private WindowStore<String, String> seen;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            copies = context.getStateStore("copies");
            seen = context.getStateStore("seen");
            EntryGuard guard = EntryGuard.of(context);
            context.schedule(Duration.ofSeconds(10), PunctuationType.WALL_CLOCK_TIME, now -> {
                List<KeyValue<String, String>> all = new ArrayList<>();
                try (KeyValueIterator<String, String> it = copies.all()) {
                    it.forEachRemaining(all::add);
                }
                for (KeyValue<String, String> entry : all) {
                    guard.attempt("copy " + entry.key, () -> {
                        copies.put(entry.key, entry.value + "+swept");
                        if (entry.key.startsWith("bad")) {
                            throw new IllegalStateException("cannot sweep " + entry.key);
                        }
                        if (entry.key.startsWith("outage")) {
                            throw new SchemaRegistryUnavailableException("connection refused while sweeping " + entry.key);
                        }
                        context.forward(new Record<>(entry.key, "swept", now));
                    });
                }
            });
        }

        @Override
        public void process(Record<String, String> record) {
            String before = copies.get("total");
            copies.put("total", (before == null ? "" : before) + record.value() + ";");
            copies.put(record.key(), record.value());
            seen.put(record.key(), record.value(), record.timestamp());
            context.forward(record);
            if (record.value().equals("poison")) {
                throw new IllegalArgumentException("poisoned by " + record.key());
            }
        }
    }

    private static TopologyTestDriver driver() {
        return driver(Guarded.keepingHouse("tally", GuardEvents.NONE, Tally::new));
    }

    private static TopologyTestDriver driver(ProcessorSupplier<String, String, String, String> tally) {
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new StringDeserializer(), "in");
        topology.addProcessor("tally", tally, "in");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("copies"), Serdes.String(), Serdes.String()),
                "tally");
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore("seen", Duration.ofDays(2), Duration.ofDays(1), false), Serdes.String(), Serdes.String()),
                "tally");
        topology.addSink("out", "out", new StringSerializer(), new StringSerializer(), "tally");
        Properties props = TestDrivers.streamsSettings();
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ);
        return new TopologyTestDriver(topology, props, T0);
    }

    @Test
    void aRecordThatFailsHalfWayChangesNothingSendsNothingAndIsDeadLetteredAsRead() {
        try (TopologyTestDriver driver = driver()) {
            var in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            var out = driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
            var dlq = driver.createOutputTopic(DLQ, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            KeyValueStore<String, String> copies = driver.getKeyValueStore("copies");
            WindowStore<String, String> seen = driver.getWindowStore("seen");

            in.pipeInput(new TestRecord<>("a", "1", T0));
            in.pipeInput(new TestRecord<>("b", "poison", T0.plusSeconds(1)));
            in.pipeInput(new TestRecord<>("c", "3", T0.plusSeconds(2)));

            assertThat(copies.get("total")).isEqualTo("1;3;");
            assertThat(copies.get("b")).isNull();
            assertThat(seen.fetch("b", T0.plusSeconds(1).toEpochMilli())).isNull();
            assertThat(seen.fetch("c", T0.plusSeconds(2).toEpochMilli())).isEqualTo("3");
            assertThat(out.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a", "c");
            var letters = dlq.readRecordsToList();
            assertThat(letters).hasSize(1);
            var letter = letters.get(0);
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("b");
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("poison");
            assertThat(header(letter.headers(), DeadLetterHeaders.PROCESSOR)).isEqualTo("tally");
            assertThat(header(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("in");
            assertThat(header(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("poisoned by b");
        }
    }

    @Test
    void anOverwrittenValueIsPutBackNotDeleted() {
        try (TopologyTestDriver driver = driver()) {
            var in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            KeyValueStore<String, String> copies = driver.getKeyValueStore("copies");
            in.pipeInput(new TestRecord<>("a", "1", T0));
            in.pipeInput(new TestRecord<>("a", "poison", T0.plusSeconds(1)));
            assertThat(copies.get("a")).isEqualTo("1");
            assertThat(copies.get("total")).isEqualTo("1;");
        }
    }

    @Test
    void aPunctuationEntryThatFailsIsSkippedAloneAndTheOthersAreKept() {
        try (TopologyTestDriver driver = driver()) {
            var in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            var out = driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
            KeyValueStore<String, String> copies = driver.getKeyValueStore("copies");
            in.pipeInput(new TestRecord<>("a", "1", T0));
            in.pipeInput(new TestRecord<>("bad-1", "2", T0));
            in.pipeInput(new TestRecord<>("z", "3", T0));
            out.readKeyValuesToList();

            driver.advanceWallClockTime(Duration.ofSeconds(11));

            assertThat(copies.get("a")).isEqualTo("1+swept");
            assertThat(copies.get("bad-1")).isEqualTo("2");
            assertThat(copies.get("z")).isEqualTo("3+swept");
            assertThat(out.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a", "total", "z");
        }
    }

    @Test
    void aPunctuationEntryStruckByAnOutageStopsThePunctuationInsteadOfBeingSkipped() {
        try (TopologyTestDriver driver = driver()) {
            var in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            in.pipeInput(new TestRecord<>("outage-1", "1", T0));

            // The registry or the broker failing is no fault of the entry, and may come after its writes were kept: the error
            // goes on up, so the task restarts from its last commit (exactly-once undoes both) instead of going on without it
            assertThatThrownBy(() -> driver.advanceWallClockTime(Duration.ofSeconds(11)))
                    .hasRootCauseInstanceOf(SchemaRegistryUnavailableException.class);
        }
    }

    @Test
    void aTaskMigratedWhileSendingWhatAUnitKeptGoesUpAsKafkaStreamsOwnSoTheThreadIsNotReplaced() {
        // The producer fenced under the unit's sends (its transaction timed out in a long rebalance): Kafka Streams migrates
        // the task and rejoins with the same thread. Wrapped as one of the mediator's errors, the thread died instead, and
        // its replacement joined under a new group.instance.id while the dead one held its partitions for a session timeout.
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new StringDeserializer(), "in");
        topology.addProcessor("tally", Guarded.keepingHouse("tally", GuardEvents.NONE, Tally::new), "in");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("copies"), Serdes.String(), Serdes.String()),
                "tally");
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore("seen", Duration.ofDays(2), Duration.ofDays(1), false), Serdes.String(), Serdes.String()),
                "tally");
        topology.addProcessor("producer", () -> new Processor<String, String, String, String>() {
            @Override
            public void process(Record<String, String> record) {
                throw new TaskMigratedException("the producer was fenced", new InvalidProducerEpochException("old epoch"));
            }
        }, "tally");
        Properties props = TestDrivers.streamsSettings();
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, T0)) {
            var in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());

            assertThatThrownBy(() -> in.pipeInput(new TestRecord<>("a", "1", T0))).isInstanceOf(TaskMigratedException.class);
        }
    }

    @Test
    void aProcessorNotMadeToKeepHouseMayNotScheduleAPunctuation() {
        // Its skips would first appear at 1, unseen by an alert on the counter's increase: it must fail at its first start
        assertThatThrownBy(() -> driver(Guarded.of("tally", GuardEvents.NONE, Tally::new)).close())
                .rootCause()
                .hasMessageContaining("tally schedules a punctuation but was not made with Guarded.keepingHouse");
    }

    private static String header(org.apache.kafka.common.header.Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
