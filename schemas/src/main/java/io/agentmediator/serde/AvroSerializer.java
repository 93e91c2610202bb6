package io.agentmediator.serde;

import io.agentmediator.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format, so that any Confluent-compatible consumer, in
 * any language, can read them. The schema is registered (or, with
 * {@code auto.register.schemas=false}, looked up) under the subject {@code <topic>-value}, or
 * {@code <topic>-key} for keys: Confluent's TopicNameStrategy.
 *
 * <p>{@link #configure(Map, boolean)} reads {@code schema.registry.url} and the other keys of
 * {@link io.agentmediator.registry.SchemaRegistryClientConfig}, and
 * {@link AvroSerdeConfig#AUTO_REGISTER_SCHEMAS}; a registry passed to the constructor takes
 * precedence over {@code schema.registry.url}. The no-argument constructor lets Kafka create it
 * from a {@code value.serializer} class name.
 *
 * <p>Failures, all {@link org.apache.kafka.common.errors.SerializationException}s:
 * {@link MalformedRecordException} when the record cannot be encoded with its schema, and the
 * registry's exceptions thrown as they are:
 * {@link io.agentmediator.registry.SchemaNotFoundException} (schema not registered and
 * auto-registration off), {@link io.agentmediator.registry.SchemaRegistryUnavailableException}
 * (retry later) and {@link io.agentmediator.registry.SchemaRegistryException} (for instance a
 * schema the registry rejects as incompatible).
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final ConcurrentMap<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private volatile SchemaRegistryClient registry;
    private volatile boolean autoRegister = true;
    private volatile String subjectSuffix = "-value";

    /** For Kafka's reflective creation; {@link #configure(Map, boolean)} must be called next. */
    public AvroSerializer() {
    }

    /** For direct wiring: ready to use, with schemas auto-registered under {@code <topic>-value}. */
    public AvroSerializer(SchemaRegistryClient registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(configs, isKey, registry != null ? registry : AvroSerdeConfig.registry(configs));
    }

    /** Lets {@link AvroSerde} hand its serializer and deserializer one shared registry client. */
    void configure(Map<String, ?> configs, boolean isKey, SchemaRegistryClient registry) {
        this.autoRegister = AvroSerdeConfig.autoRegister(configs);
        this.subjectSuffix = isKey ? "-key" : "-value";
        this.registry = registry;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        SchemaRegistryClient client = requireRegistry();
        Schema schema = record.getSchema();
        String subject = topic + subjectSuffix;
        int schemaId = autoRegister ? client.register(subject, schema) : client.idOf(subject, schema);

        // One buffer and encoder per thread, reused: a fresh 32-byte stream doubled its way up to every case
        // file's size, and that copying was the stream thread's hottest frame (docs/BENCHMARKS.md).
        Buffer buffer = BUFFERS.get();
        ByteArrayOutputStream out = buffer.out;
        out.reset();
        out.writeBytes(WireFormat.header(schemaId));
        // Taken from the buffer while in use: an encoder left holding half a failed record must not be reused.
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, buffer.encoder);
        buffer.encoder = null;
        try {
            writerFor(schema).write(record, encoder);
            encoder.flush();
            buffer.encoder = encoder;
        } catch (SecurityException e) {
            // Avro refusing to load one of our classes is our misconfiguration, not a bad record.
            throw e;
        } catch (IOException | RuntimeException e) {
            // Avro reports a missing required field as a NullPointerException naming the field.
            throw new MalformedRecordException("Cannot encode " + schema.getFullName() + " for topic '"
                    + topic + "': " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** A thread's encoding buffer; it keeps the capacity of the largest record the thread encoded. */
    private static final class Buffer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        private BinaryEncoder encoder;
    }

    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    private DatumWriter<T> writerFor(Schema schema) {
        return writers.computeIfAbsent(schema, generated -> {
            GeneratedClassTrust.trustClassesOf(generated);
            return new SpecificDatumWriter<>(generated);
        });
    }

    private SchemaRegistryClient requireRegistry() {
        SchemaRegistryClient client = registry;
        if (client == null) {
            throw new IllegalStateException("AvroSerializer is not configured: call configure() with "
                    + "schema.registry.url, or construct it with a SchemaRegistryClient");
        }
        return client;
    }
}
