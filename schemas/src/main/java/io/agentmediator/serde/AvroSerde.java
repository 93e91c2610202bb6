package io.agentmediator.serde;

import io.agentmediator.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An {@link AvroSerializer} and {@link AvroDeserializer} for one generated Avro class, for Kafka
 * Streams' {@code Consumed.with} and {@code Produced.with}. Configuring the serde gives both halves
 * one registry client, so they share its cache. See the two halves for the configuration keys and
 * the exceptions.
 */
public class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;
    private final SchemaRegistryClient registry;

    /** For use with {@link #configure(Map, boolean)}, which must be called next. */
    public AvroSerde(Class<T> type) {
        this.registry = null;
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>(type);
    }

    /** For direct wiring: ready to use, with value subjects ({@code <topic>-value}). */
    public AvroSerde(Class<T> type, SchemaRegistryClient registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.serializer = new AvroSerializer<>(registry);
        this.deserializer = new AvroDeserializer<>(type, registry);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SchemaRegistryClient shared = registry != null ? registry : AvroSerdeConfig.registry(configs);
        serializer.configure(configs, isKey, shared);
        deserializer.configure(shared);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
