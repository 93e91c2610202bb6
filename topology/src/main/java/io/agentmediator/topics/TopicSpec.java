package io.agentmediator.topics;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its key and value serdes, so no call site names a topic or builds a serde.
 *
 * @param compacted  one latest record per key, kept forever ({@code cleanup.policy=compact})
 * @param brokerTime why the broker must stamp its records ({@code message.timestamp.type=LogAppendTime}), not the
 *                   producer; null for a topic whose record timestamps may be whatever its producers say
 * @param keepsTimes the mediator writes its records with the times it decides by and reads them back
 *                   ({@code message.timestamp.type=CreateTime} required): a topic a record is moved through to its key's
 *                   partition, or an internal hop; restamped by the broker, a record moved late in a backlog would be
 *                   judged at the time it was moved. Kept until read ({@code retention.ms=-1}) and deleted once read
 *                   ({@link InTransitPurger}): retention counted from those times would delete a replayed record, stamped
 *                   further back than retention.ms, before it was read
 */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted, BrokerTime brokerTime,
                              boolean keepsTimes) {

    /** A topic whose record timestamps are whatever its producers say. */
    public TopicSpec(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
        this(name, keySerde, valueSerde, compacted, null, false);
    }

    /** A topic the broker stamps, for {@code brokerTime}'s reason. */
    public TopicSpec(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted, BrokerTime brokerTime) {
        this(name, keySerde, valueSerde, compacted, brokerTime, false);
    }

    /** This topic, its records' times kept as the mediator writes them. */
    public TopicSpec<K, V> keepingTimes() {
        return new TopicSpec<>(name, keySerde, valueSerde, compacted, null, true);
    }

    /** Whether the mediator uses these records' timestamps, so that the broker must stamp them. */
    public boolean brokerTimestamps() {
        return brokerTime != null;
    }
}
