package io.agentmediator.connect;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/** Helpers for transforms that rebuild a value's schema field by field. */
final class ValueFields {

    private ValueFields() {
    }

    /** A struct schema builder named, versioned and documented like {@code schema}, with none of its fields yet. */
    static SchemaBuilder sameStruct(Schema schema) {
        SchemaBuilder builder = SchemaBuilder.struct().name(schema.name()).version(schema.version()).doc(schema.doc());
        return schema.isOptional() ? builder.optional() : builder;
    }

    /**
     * Copies the values of every field of {@code target}'s schema that {@code source} also has, nulls as nulls: an
     * absent intent's {@code commitmentMicros} must stay null, not become its schema default of 0.
     */
    static Struct copyShared(Struct source, Struct target) {
        for (Field field : target.schema().fields()) {
            if (source.schema().field(field.name()) != null) {
                target.put(field.name(), source.getWithoutDefault(field.name()));
            }
        }
        return target;
    }
}
