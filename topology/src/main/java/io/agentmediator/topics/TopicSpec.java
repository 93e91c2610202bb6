package io.agentmediator.topics;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its key and value serdes, so no call site names a topic or builds a serde.
 *
 * @param compacted        one latest record per key, kept forever ({@code cleanup.policy=compact})
 * @param brokerTimestamps the mediator judges time by these records' timestamps (budget windows, rate
 *                         limits, expiry, the dedupe window), so the broker must stamp them
 *                         ({@code message.timestamp.type=LogAppendTime}), not the producer
 */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted, boolean brokerTimestamps) {

    /** A topic whose record timestamps are whatever its producers say. */
    public TopicSpec(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
        this(name, keySerde, valueSerde, compacted, false);
    }
}
