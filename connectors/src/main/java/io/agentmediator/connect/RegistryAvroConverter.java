package io.agentmediator.connect;

import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registry.SchemaRegistryClientConfig;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import io.agentmediator.serde.WireFormat;
import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Connect {@link Converter} for Avro in the Confluent wire format (magic byte, 4-byte schema id, Avro body),
 * with schemas from any registry that serves the Confluent REST API (Confluent, Apicurio's ccompat API, Karapace,
 * Redpanda) through the {@code schemas} module's client, so it takes the same {@code schema.registry.url} and TLS and
 * credential keys as our serdes, including {@code mock://<scope>} in one JVM.
 *
 * <p>Reading decodes the body with the writer's schema and hands the Avro-to-Connect mapping (unions, enums, logical
 * types) to Apicurio's {@link AvroData}. Writing, used by source connectors and by the worker's dead-letter headers,
 * maps back the same way and registers the schema under {@code <topic>-value} or {@code <topic>-key}.
 *
 * <p>An unreachable registry is a {@link RetriableException}, which the worker retries for {@code errors.retry.timeout}
 * (our connectors: without end) and then skips the record; any other failure is a {@link DataException} that names
 * the topic, which {@code errors.tolerance} governs.
 */
public final class RegistryAvroConverter implements Converter {

    private final ConcurrentMap<Integer, Schema> writerSchemas = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private AvroData avroData;
    private String subjectSuffix;


    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object url = configs.get(SchemaRegistryClientConfig.URL);
        registry = SchemaRegistryClients.forUrl(url == null ? null : url.toString(), configs);
        Map<String, Object> avroConfig = new HashMap<>(configs);
        // Keep enum symbols and record names, so the schema the worker sees matches ours.
        avroConfig.putIfAbsent(AvroDataConfig.ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, true);
        avroData = new AvroData(new AvroDataConfig(avroConfig));
        subjectSuffix = isKey ? "-key" : "-value";
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        try {
            int schemaId = WireFormat.schemaId(topic, value);
            Schema writer = writerSchema(schemaId);
            Object record = new GenericDatumReader<>(writer).read(null, DecoderFactory.get()
                    .binaryDecoder(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, null));
            return avroData.toConnectData(writer, record);
        } catch (SchemaRegistryUnavailableException e) {
            throw new RetriableException("Schema registry unavailable while reading a record of topic '" + topic + "'", e);
        } catch (IOException | SerializationException | org.apache.avro.AvroRuntimeException e) {
            throw new DataException("Record of topic '" + topic + "' (" + value.length
                    + " bytes) is not Avro in the Confluent wire format that the registry can resolve: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] fromConnectData(String topic, org.apache.kafka.connect.data.Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        Schema avroSchema = avroData.fromConnectSchema(schema);
        Object avroValue = avroData.fromConnectData(schema, value);
        try {
            int schemaId = registry.register(topic + subjectSuffix, avroSchema);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(WireFormat.header(schemaId));
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<>(avroSchema).write(avroValue, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (SchemaRegistryUnavailableException e) {
            throw new RetriableException("Schema registry unavailable while writing a record of topic '" + topic + "'", e);
        } catch (IOException | SerializationException e) {
            throw new DataException("Cannot write a record of topic '" + topic + "' as Avro: " + e.getMessage(), e);
        }
    }

    private Schema writerSchema(int schemaId) {
        // Not computeIfAbsent: that would hold a map lock while the registry is asked.
        Schema known = writerSchemas.get(schemaId);
        if (known != null) {
            return known;
        }
        Schema fetched = registry.schemaById(schemaId);
        writerSchemas.putIfAbsent(schemaId, fetched);
        return fetched;
    }
}
