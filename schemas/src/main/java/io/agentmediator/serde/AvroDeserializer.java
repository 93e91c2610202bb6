package io.agentmediator.serde;

import io.agentmediator.registry.SchemaCache;
import io.agentmediator.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro records into the generated class {@code T}, resolving the
 * writer's schema (fetched from the registry by the id in the record's header, then cached)
 * against {@code T}'s schema. That resolution is what lets an agent still on an older schema
 * version, or already on a newer compatible one, be read.
 *
 * <p>{@link #configure(Map, boolean)} reads {@code schema.registry.url} and the other keys of
 * {@link io.agentmediator.registry.SchemaRegistryClientConfig}; a registry passed to the
 * constructor takes precedence.
 *
 * <p>Failures are all {@link org.apache.kafka.common.errors.SerializationException}s, and their
 * type tells a caller what to do:
 * <ul>
 *   <li>the record is bad, so dead-letter it: {@link MalformedRecordException} (not the wire
 *       format, a truncated or corrupt body, bytes after it, or collections claiming more items than it has bytes), {@link IncompatibleSchemaException} (written with
 *       a schema {@code T} cannot read), {@link io.agentmediator.registry.SchemaNotFoundException}
 *       (the header names a schema id the registry does not have);</li>
 *   <li>the registry is down, so retry or stop, never dead-letter:
 *       {@link io.agentmediator.registry.SchemaRegistryUnavailableException};</li>
 *   <li>the registry refused for another reason (credentials, wrong URL): a plain
 *       {@link io.agentmediator.registry.SchemaRegistryException}, a configuration problem.</li>
 * </ul>
 * The registry exceptions are thrown as the client threw them, not wrapped, so that
 * {@code instanceof} on the exception itself is enough. Test the subclasses first: both registry
 * subclasses are also {@code SchemaRegistryException}s.
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    /** The writer schema of one schema id and the reader that resolves it to {@code T}. */
    /** {@code refusal}: why records of this writer's schema are not read, or null. */
    private record WriterBinding<T>(Schema writerSchema, DatumReader<T> reader, String refusal) {
    }

    private final Class<T> type;
    private final Schema readerSchema;
    private final SchemaCache<WriterBinding<T>> bindingsBySchemaId = new SchemaCache<>();
    private volatile SchemaRegistryClient registry;

    /** For use with {@link #configure(Map, boolean)}, which must be called next. */
    public AvroDeserializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        this.readerSchema = SpecificData.get().getSchema(type);
        GeneratedClassTrust.trustClassesOf(readerSchema);
    }

    /** For direct wiring: ready to use. */
    public AvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
        this(type);
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(registry != null ? registry : AvroSerdeConfig.registry(configs));
    }

    /** Lets {@link AvroSerde} hand its serializer and deserializer one shared registry client. */
    void configure(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int schemaId = WireFormat.schemaId(topic, data);
        WriterBinding<T> binding = bindingFor(schemaId);
        if (binding.refusal() != null) {
            throw new IncompatibleSchemaException(record(topic, schemaId, binding.writerSchema(), data.length) + " cannot be read as "
                    + type.getName() + ": " + binding.refusal(), null);
        }
        T record;
        int bodyLength = data.length - WireFormat.HEADER_SIZE;
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, bodyLength, null);
        try {
            record = binding.reader().read(null, new ItemBoundDecoder(decoder, bodyLength));
            if (!decoder.isEnd()) {
                throw new TrailingBytesException(decoder.inputStream().available());
            }
        } catch (SecurityException e) {
            // Avro refusing to load one of our classes is our misconfiguration, not a bad record.
            throw e;
        } catch (IOException | RuntimeException e) {
            throw decodingFailure(topic, schemaId, binding.writerSchema(), data.length, e);
        } catch (StackOverflowError e) {
            // A field of a recursive type ours does not have is skipped recursively, one frame a level: a writer's schema
            // that adds one (compatible, with a default) lets a record of a few hundred kilobytes nest deeper than any
            // stack. An Error would pass every handler and kill the thread on it at every restart; the stack has unwound
            // here, and the record is as malformed as any other (its thousand frames are no cause worth keeping).
            throw new MalformedRecordException(record(topic, schemaId, binding.writerSchema(), data.length) + " nests deeper than it can be read");
        }
        return record;
    }

    private WriterBinding<T> bindingFor(int schemaId) {
        // Not computed under the cache's lock: the registry may be asked.
        WriterBinding<T> cached = bindingsBySchemaId.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writerSchema = requireRegistry().schemaById(schemaId);
        WriterBinding<T> binding = new WriterBinding<>(writerSchema, new SpecificDatumReader<>(writerSchema, readerSchema),
                LogicalTypeMismatch.of(writerSchema, readerSchema).orElse(null));
        return bindingsBySchemaId.putIfAbsent(schemaId, writerSchema, binding);
    }

    /**
     * Bytes left after the body the writer's schema describes. Avro stops reading where that schema ends,
     * so without this check they would be ignored: a record written with more fields than the schema its
     * id names (an approval's agentId, an intent's expiresAt, both signed) would be decided without them.
     */
    private static final class TrailingBytesException extends IOException {
        TrailingBytesException(int count) {
            super(count + " bytes after the end of its Avro body: it was written with another schema than the one its id names,"
                    + " or something was appended to it");
        }
    }

    /**
     * Tells "the writer's schema does not resolve to ours" from "the bytes are damaged": Avro
     * reports both as decoding errors, but only the first has a cause worth naming precisely.
     */
    private RuntimeException decodingFailure(String topic, int schemaId, Schema writerSchema, int size,
            Exception cause) {
        String record = record(topic, schemaId, writerSchema, size);
        if (cause instanceof TrailingBytesException || cause instanceof ItemBoundDecoder.TooManyItemsException) {
            return new MalformedRecordException(record + " has " + cause.getMessage(), cause);
        }
        SchemaCompatibilityResult compatibility = SchemaCompatibility
                .checkReaderWriterCompatibility(readerSchema, writerSchema).getResult();
        if (compatibility.getCompatibility() == SchemaCompatibilityType.INCOMPATIBLE) {
            return new IncompatibleSchemaException(record + " cannot be read as " + type.getName() + ": "
                    + compatibility.getIncompatibilities().stream()
                            .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                            .collect(Collectors.joining("; ")), cause);
        }
        return new MalformedRecordException(record + " has a truncated or corrupt Avro body: " + cause, cause);
    }

    /** How a failure names the record: where it was, how large, and the writer's schema. */
    private static String record(String topic, int schemaId, Schema writerSchema, int size) {
        return "Record on topic '" + topic + "' (" + size + " bytes, writer schema id " + schemaId + ", " + writerSchema.getFullName() + ")";
    }

    private SchemaRegistryClient requireRegistry() {
        SchemaRegistryClient client = registry;
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer<" + type.getSimpleName() + "> is not configured: "
                    + "call configure() with schema.registry.url, or construct it with a SchemaRegistryClient");
        }
        return client;
    }
}
