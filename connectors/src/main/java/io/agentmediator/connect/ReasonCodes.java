package io.agentmediator.connect;

import java.util.ArrayList;
import java.util.List;
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
import org.apache.kafka.connect.errors.DataException;

/**
 * Replaces a list of reasons ({@code [{code, ruleId, message}]}) by the list of their codes, and adds the first code
 * as a field of its own. A JDBC sink cannot store a list of structs; a list of strings becomes a PostgreSQL
 * {@code text[]} ({@code 'BUDGET_EXCEEDED' = ANY(reasons)}) and the first reason, the one that decided, a plain column.
 * Connect's own transforms flatten structs but not lists, hence this one.
 *
 * <p>A null list (a case file without a decision yet) gives null codes and a null first reason; tombstones pass
 * through unchanged.
 */
public final class ReasonCodes<R extends ConnectRecord<R>> extends StructValueTransform<R> {

    /** The field holding the list of reasons; after {@code Flatten}, {@code decision_reasons} in a case file. */
    public static final String FIELD_CONFIG = "field";
    public static final String FIELD_DEFAULT = "reasons";
    /** The field added with the first reason's code. */
    public static final String FIRST_FIELD_CONFIG = "first.field";
    public static final String FIRST_FIELD_DEFAULT = "first_reason";
    private static final String CODE = "code";

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(FIELD_CONFIG, Type.STRING, FIELD_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "The field holding the list of reasons, each a struct with a 'code'; replaced by the list of codes.")
            .define(FIRST_FIELD_CONFIG, Type.STRING, FIRST_FIELD_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "The field added with the first reason's code, null when there is none.");
    private static final Schema CODES_SCHEMA = SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build();

    private String field;
    private String firstField;

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        field = config.getString(FIELD_CONFIG);
        firstField = config.getString(FIRST_FIELD_CONFIG);
    }

    @Override
    protected Struct updatedValue(String topic, Struct value, Schema schema) {
        @SuppressWarnings("unchecked")
        List<Object> reasons = (List<Object>) value.getWithoutDefault(field);
        List<String> codes = codes(reasons);
        Struct updated = new Struct(schema);
        for (Field each : schema.fields()) {
            if (!each.name().equals(field) && !each.name().equals(firstField)) {
                updated.put(each, value.getWithoutDefault(each.name()));
            }
        }
        updated.put(field, codes);
        return updated.put(firstField, codes == null || codes.isEmpty() ? null : codes.get(0));
    }

    private static List<String> codes(List<Object> reasons) {
        if (reasons == null) {
            return null;
        }
        List<String> codes = new ArrayList<>(reasons.size());
        for (Object reason : reasons) {
            codes.add(String.valueOf(((Struct) reason).get(CODE)));
        }
        return codes;
    }

    @Override
    protected Schema updatedSchema(Schema original, String topic) {
        Field reasons = original.field(field);
        if (reasons == null || reasons.schema().type() != Schema.Type.ARRAY
                || reasons.schema().valueSchema().type() != Schema.Type.STRUCT
                || reasons.schema().valueSchema().field(CODE) == null) {
            throw new DataException("ReasonCodes: field '" + field + "' of the value on topic '" + topic
                    + "' is not a list of structs with a '" + CODE + "'");
        }
        SchemaBuilder builder = ValueFields.sameStruct(original);
        for (Field each : original.fields()) {
            builder.field(each.name(), each.name().equals(field) ? CODES_SCHEMA : each.schema());
        }
        return builder.field(firstField, Schema.OPTIONAL_STRING_SCHEMA).build();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
    }
}
