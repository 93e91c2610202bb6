package io.agentmediator.connect;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Adds to a Struct value one field holding the whole value as JSON, typed so that Debezium's JDBC sink makes it a
 * {@code jsonb} column on PostgreSQL. The case file is nested (checks, budgets, timeline) and no flat table can hold
 * all of it; this keeps every detail queryable beside the flat columns that Connect's {@code Flatten} and
 * {@code ReplaceField} pick out.
 *
 * <p>The JSON is Connect's own rendering ({@link JsonText}). Tombstones pass through unchanged, so deletes still delete.
 */
public final class JsonCopy<R extends ConnectRecord<R>> extends StructValueTransform<R> {

    /** The name of the added field. */
    public static final String FIELD_CONFIG = "field";
    public static final String FIELD_DEFAULT = "case_file";
    /** Debezium's semantic type for a JSON string, and the parameter that asks for {@code jsonb} rather than {@code json}. */
    static final String DEBEZIUM_JSON = "io.debezium.data.Json";
    static final String DEBEZIUM_COLUMN_TYPE = "__debezium.source.column.type";

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(FIELD_CONFIG, Type.STRING, FIELD_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "The name of the field that receives the whole value as JSON.");
    private static final Schema JSON_SCHEMA = SchemaBuilder.string().name(DEBEZIUM_JSON)
            .parameter(DEBEZIUM_COLUMN_TYPE, "JSONB").build();

    private final JsonText json = new JsonText();
    private String field;

    @Override
    public void configure(Map<String, ?> configs) {
        field = new AbstractConfig(CONFIG_DEF, configs).getString(FIELD_CONFIG);
    }

    @Override
    protected Struct updatedValue(String topic, Struct value, Schema schema) {
        return ValueFields.copyShared(value, new Struct(schema)).put(field, json.of(topic, value.schema(), value));
    }

    @Override
    protected Schema updatedSchema(Schema original, String topic) {
        SchemaBuilder builder = ValueFields.sameStruct(original);
        for (Field each : original.fields()) {
            builder.field(each.name(), each.schema());
        }
        return builder.field(field, JSON_SCHEMA).build();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        json.close();
    }
}
