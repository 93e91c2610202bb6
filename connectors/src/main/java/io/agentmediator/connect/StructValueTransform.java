package io.agentmediator.connect;

import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * What our transforms share: they rewrite a record's Struct value and its schema, work out each new schema once per
 * schema seen, and let tombstones through unchanged so that the sink still deletes.
 */
abstract class StructValueTransform<R extends ConnectRecord<R>> implements Transformation<R> {

    private final Cache<Schema, Schema> schemas = new SynchronizedCache<>(new LRUCache<>(16));

    @Override
    public final R apply(R record) {
        if (record.value() == null) {
            return record;
        }
        if (!(record.value() instanceof Struct value)) {
            throw new DataException(getClass().getSimpleName() + " expects a Struct value with a schema, got "
                    + record.value().getClass().getName() + " on topic '" + record.topic() + "'");
        }
        Schema schema = schemas.get(value.schema());
        if (schema == null) {
            schema = updatedSchema(value.schema(), record.topic());
            schemas.put(value.schema(), schema);
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(), schema,
                updatedValue(record.topic(), value, schema), record.timestamp(), record.headers());
    }

    /** The schema of the rewritten values of {@code original}; {@code topic} only for messages. */
    protected abstract Schema updatedSchema(Schema original, String topic);

    /** {@code value} rewritten to {@code schema}, which {@link #updatedSchema} made. */
    protected abstract Struct updatedValue(String topic, Struct value, Schema schema);
}
