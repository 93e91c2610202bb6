package io.agentmediator.topics;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its key and value serdes, so no call site names a topic or builds a serde.
 *
 * @param compacted  one latest record per key, kept forever ({@code cleanup.policy=compact})
 * @param brokerTime why the broker must stamp its records ({@code message.timestamp.type=LogAppendTime}), not the
 *                   producer; null for a topic whose record timestamps may be whatever its producers say
 */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted, BrokerTime brokerTime) {

    /** A topic whose record timestamps are whatever its producers say. */
    public TopicSpec(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
        this(name, keySerde, valueSerde, compacted, null);
    }

    /** Whether the mediator uses these records' timestamps, so that the broker must stamp them. */
    public boolean brokerTimestamps() {
        return brokerTime != null;
    }
}
