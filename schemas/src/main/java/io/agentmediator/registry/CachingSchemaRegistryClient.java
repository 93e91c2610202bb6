package io.agentmediator.registry;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.ToIntBiFunction;
import org.apache.avro.Schema;

/**
 * Remembers what a registry has answered, so that a serializer asks once per schema and a
 * deserializer once per writer schema id, instead of once per record.
 *
 * <p>Only successful answers are kept: a schema id is permanent in every registry we support, so
 * the entries never go stale, and an id that does not exist is never stored. Schemas by id are
 * bounded ({@link SchemaCache}): records name ids, and any id of any subject can be named. The ids
 * of the schemas this process writes with are not: they are its own.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private record SubjectSchema(String subject, Schema schema) {
    }

    private final SchemaRegistryClient delegate;
    private final SchemaCache<Schema> schemasById = new SchemaCache<>();
    private final ConcurrentMap<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public int register(String subject, Schema schema) {
        return cachedId(subject, schema, delegate::register);
    }

    @Override
    public int idOf(String subject, Schema schema) {
        // Shares the cache with register: a registered schema has the id a lookup would find.
        return cachedId(subject, schema, delegate::idOf);
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema fetched = delegate.schemaById(id);
        return schemasById.putIfAbsent(id, fetched, fetched);
    }

    private int cachedId(String subject, Schema schema, ToIntBiFunction<String, Schema> ask) {
        // Not computeIfAbsent: that would hold a map lock during a network call. Two threads may
        // both ask the registry about the same schema once; both questions are idempotent.
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = ask.applyAsInt(subject, schema);
        idsBySubjectSchema.putIfAbsent(key, id);
        // A process reading back what it wrote then needs no request for the writer schema.
        schemasById.putIfAbsent(id, schema, schema);
        return id;
    }

    @Override
    public String toString() {
        return "cached " + delegate;
    }
}
