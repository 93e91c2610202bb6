package io.agentmediator.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Replaces every map in a Struct value, at any depth, by its JSON text. Connect's {@code Flatten} refuses maps in
 * values with a schema ("does not support MAP"), and an intent's {@code attributes} is one; after this transform
 * {@code Flatten} runs, and the attributes stay readable as text. Tombstones pass through unchanged.
 */
public final class MapsAsJson<R extends ConnectRecord<R>> extends StructValueTransform<R> {

    private static final Schema TEXT = Schema.OPTIONAL_STRING_SCHEMA;

    private final JsonText json = new JsonText();

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    protected Schema updatedSchema(Schema original, String topic) {
        return withoutMaps(original);
    }

    @Override
    protected Struct updatedValue(String topic, Struct value, Schema schema) {
        return (Struct) convert(topic, value.schema(), schema, value);
    }

    private static Schema withoutMaps(Schema schema) {
        return switch (schema.type()) {
            case MAP -> TEXT;
            case STRUCT -> {
                SchemaBuilder builder = ValueFields.sameStruct(schema);
                for (Field field : schema.fields()) {
                    builder.field(field.name(), withoutMaps(field.schema()));
                }
                yield builder.build();
            }
            case ARRAY -> {
                SchemaBuilder builder = SchemaBuilder.array(withoutMaps(schema.valueSchema()));
                yield (schema.isOptional() ? builder.optional() : builder).build();
            }
            default -> schema;
        };
    }

    private Object convert(String topic, Schema from, Schema to, Object value) {
        if (value == null) {
            return null;
        }
        return switch (from.type()) {
            case MAP -> json.of(topic, from, value);
            case STRUCT -> {
                Struct source = (Struct) value;
                Struct target = new Struct(to);
                for (Field field : from.fields()) {
                    target.put(field.name(), convert(topic, field.schema(), to.field(field.name()).schema(), source.getWithoutDefault(field.name())));
                }
                yield target;
            }
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (Object item : (List<?>) value) {
                    items.add(convert(topic, from.valueSchema(), to.valueSchema(), item));
                }
                yield items;
            }
            default -> value;
        };
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void close() {
        json.close();
    }
}
