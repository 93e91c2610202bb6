package io.agentmediator.app;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.KafkaNames;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.guard.ErrorHandling;
import io.agentmediator.storage.SharedRocksDbMemory;
import io.agentmediator.topics.Topics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration: what the operator set, with the mediator's defaults beneath. */
public final class StreamsSettings {

    private StreamsSettings() {}

    public static Properties of(MediatorConfig config) {
        Properties props = new Properties();
        props.putAll(config.passThrough());
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, config.get(ConfigKeys.APPLICATION_ID));
        props.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(ConfigKeys.BOOTSTRAP_SERVERS));
        props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, config.get(ConfigKeys.STATE_DIR));
        props.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.get(ConfigKeys.TOPIC_REPLICATION_FACTOR));
        // A crash or rebalance must never spend a budget twice nor emit two decisions for one intent.
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Stores, changelogs and repartition topics must carry the names the topology gives them.
        props.putIfAbsent(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        // Process what is fetched without first fetching every other input partition that has data on the broker.
        // Nothing the mediator decides depends on the timestamps of records on different topics (every step waits
        // for the one before it, an early approval waits for its owner), and at Kafka's default 0 Kafka Streams
        // formats a trace text for every empty input partition before each record, whatever the log level: a
        // tenth of the stream thread's CPU and a third of what it allocates (docs/BENCHMARKS.md).
        props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        // A decision is visible to executors at the commit that follows it, and an intent with claims crosses three
        // commits (its request, the ledger's reply, its decision): at Kafka's 100 ms its p99 was three intervals, over
        // 300 ms; at 50 ms 229-245 ms, at the same throughput on one broker (docs/BENCHMARKS.md). A replicated
        // cluster makes each commit dearer: operators trading latency for throughput set it higher.
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
        // A restarted instance restores its tasks in batches, and the restore consumer waited up to Kafka's 500 ms for data
        // that an emptied changelog tail never brings before it fetched the next batch's changelogs: a third of the
        // 3.6 s from REBALANCING to RUNNING after a kill. At 50 ms (the commit interval) it took 2.3 s
        // (docs/RELIABILITY.md); a restore with data to read never waits at all. A wait the operator set for every consumer
        // is kept for this one too.
        if (!props.containsKey(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)
                && !props.containsKey(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))) {
            props.putIfAbsent(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), "50");
        }
        // Off-heap memory bounded by one figure whatever the number of tasks and stores (SharedRocksDbMemory); an
        // operator's own rocksdb.config.setter wins, and takes the memory into its own hands.
        props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SharedRocksDbMemory.class);
        props.put(SharedRocksDbMemory.MEMORY_BYTES, String.valueOf(config.getLong(ConfigKeys.ROCKSDB_MEMORY_BYTES, SharedRocksDbMemory.LEAST_BYTES, Long.MAX_VALUE)));
        // One record that cannot be read, processed or written goes to the dead-letter topic; it never stops every agent.
        ErrorHandling.configure(props, Topics.deadLetterTopic(config.get(ConfigKeys.TOPIC_PREFIX)));
        // A restarted instance rejoins under its old name and takes its tasks back without waiting out the dead one's session.
        if (!config.get(ConfigKeys.INSTANCE_ID).isBlank()) {
            props.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.get(ConfigKeys.INSTANCE_ID));
        }
        // Kafka Streams first uses both once the topics exist: a wrong one killed every stream thread at its first changelog.
        KafkaNames.name(ConfigKeys.APPLICATION_ID.name(), props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        if (props.getProperty(StreamsConfig.STATE_DIR_CONFIG).isBlank()) {
            throw new IllegalArgumentException(ConfigKeys.STATE_DIR.name() + " must name a directory, was \""
                    + props.getProperty(StreamsConfig.STATE_DIR_CONFIG) + "\"");
        }
        return props;
    }

    /**
     * Refuses Kafka Streams settings under which the mediator would run but not hold what it promises: without exactly-once a
     * crash can decide an intent twice and reserve its budget twice; without a stream thread the instance is RUNNING (its
     * global thread is) and ready, and decides nothing.
     */
    public static void requireDecidingOnce(Properties props) {
        String guarantee = props.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
            throw new IllegalArgumentException(StreamsConfig.PROCESSING_GUARANTEE_CONFIG + " is " + guarantee + ": the mediator runs only "
                    + StreamsConfig.EXACTLY_ONCE_V2 + " (without it a crash or rebalance can decide an intent twice and spend its budget "
                    + "twice); remove the setting");
        }
        String threads = props.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1").trim();
        if (!threads.matches("\\d+") || Integer.parseInt(threads) < 1) {
            throw new IllegalArgumentException(StreamsConfig.NUM_STREAM_THREADS_CONFIG + " must be at least 1, was \"" + threads
                    + "\": with none the instance reports ready and decides nothing");
        }
    }
}
