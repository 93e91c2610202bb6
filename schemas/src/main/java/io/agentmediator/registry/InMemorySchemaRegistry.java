package io.agentmediator.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * A schema registry held in memory, for tests and the demo, where starting a real registry would
 * cost more than it proves. Obtain shared instances through
 * {@link SchemaRegistryClients#forUrl(String, Map)} with {@code mock://<scope>}.
 *
 * <p>It numbers schemas like Confluent does: ids start at 1 and are global, so the same schema
 * under two subjects gets one id. Two schemas are the same when their Avro JSON is, docs included.
 * A subject's versions are numbered from 1 in the order its schemas were first registered under it.
 * It does not check compatibility between versions of a subject.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final String name;
    private final Map<String, Integer> idsBySchemaJson = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    /** Each subject's schema ids in version order: version n is the n-th. */
    private final Map<String, List<Integer>> idsBySubject = new TreeMap<>();
    // Serializers hand over the same Schema object for every record; printing it each time was
    // the demo's and backtest's largest cost.
    private final Map<Schema, String> textBySchema = new IdentityHashMap<>();

    /** @param name how error messages name this registry, such as {@code mock://demo} */
    public InMemorySchemaRegistry(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        int id = idsBySchemaJson.computeIfAbsent(text(schema), json -> {
            // After the largest id, not the count: ids given by registerAs may leave gaps.
            int next = schemasById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            schemasById.put(next, schema);
            return next;
        });
        List<Integer> versions = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        List<Integer> subjectIds = idsBySubject.get(subject);
        if (subjectIds == null) {
            throw new SchemaNotFoundException("Subject '" + subject + "' not found in " + name);
        }
        Integer id = idsBySchemaJson.get(text(schema));
        if (id == null || !subjectIds.contains(id)) {
            throw new SchemaNotFoundException("Schema " + schema.getFullName()
                    + " is not registered under subject '" + subject + "' in " + name);
        }
        return id;
    }

    /**
     * Registers {@code schema} under {@code id}, the id another registry gave it, so that bytes in the
     * wire format written against that registry read here (a backtest replaying captured records).
     *
     * @throws IllegalArgumentException if {@code id} already names another schema here
     */
    public synchronized void registerAs(int id, String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Schema existing = schemasById.get(id);
        if (existing != null && !text(existing).equals(text(schema))) {
            throw new IllegalArgumentException("schema id " + id + " already names " + existing.getFullName() + " in " + name);
        }
        schemasById.put(id, schema);
        idsBySchemaJson.putIfAbsent(text(schema), id);
        List<Integer> versions = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
    }

    private String text(Schema schema) {
        return textBySchema.computeIfAbsent(schema, Schema::toString);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("No schema with id " + id + " in " + name);
        }
        return schema;
    }

    /** Every subject with at least one schema, in name order. */
    public synchronized List<String> subjects() {
        return List.copyOf(idsBySubject.keySet());
    }

    /**
     * The schema ids of a subject in version order: the id of version {@code n} is at {@code n - 1}.
     *
     * @throws SchemaNotFoundException if the subject does not exist
     */
    public synchronized List<Integer> versions(String subject) {
        List<Integer> ids = idsBySubject.get(subject);
        if (ids == null) {
            throw new SchemaNotFoundException("Subject '" + subject + "' not found in " + name);
        }
        return List.copyOf(ids);
    }

    @Override
    public String toString() {
        return name;
    }
}
