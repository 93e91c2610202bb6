package io.agentmediator.topics;

import org.apache.kafka.common.serialization.Serde;

/** A topic with its key and value serdes, so no call site names a topic or builds a serde. */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {}
