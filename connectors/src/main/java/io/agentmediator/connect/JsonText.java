package io.agentmediator.connect;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.ConverterType;

/**
 * Connect data as JSON text, rendered by Connect's own {@link JsonConverter} without its schema envelope: enums are
 * their symbols, timestamps epoch milliseconds, bytes base64.
 */
final class JsonText implements AutoCloseable {

    private final JsonConverter converter = new JsonConverter();

    JsonText() {
        converter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, false,
                JsonConverterConfig.TYPE_CONFIG, ConverterType.VALUE.getName()));
    }

    String of(String topic, Schema schema, Object value) {
        return new String(converter.fromConnectData(topic, schema, value), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        converter.close();
    }
}
