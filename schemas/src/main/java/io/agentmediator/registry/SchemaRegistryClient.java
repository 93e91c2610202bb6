package io.agentmediator.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API our serdes need: register a schema, look up
 * its id without registering, and fetch a schema by the id found in a record's header.
 *
 * <p>The API is the Confluent one because it is the lowest common denominator: Confluent Schema
 * Registry, Apicurio ({@code /apis/ccompat/v7}), Karapace and Redpanda all serve it, and so do the
 * ordinary serializers of agents written in other languages.
 *
 * <p>Implementations are thread-safe. Every method throws {@link SchemaNotFoundException} when the
 * registry does not know the subject, schema or id, {@link SchemaRegistryUnavailableException}
 * when the registry cannot be reached or fails, and {@link SchemaRegistryException} for any other
 * refusal.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject}, or finds it if it already is, as
     * {@code POST /subjects/{subject}/versions} does.
     *
     * @return the schema's global id, the same for every subject that holds the same schema
     */
    int register(String subject, Schema schema);

    /**
     * Finds the id of {@code schema} under {@code subject} without registering it, as
     * {@code POST /subjects/{subject}} does; used when {@code auto.register.schemas=false}.
     *
     * @throws SchemaNotFoundException if the subject does not exist or does not hold the schema
     */
    int idOf(String subject, Schema schema);

    /**
     * Fetches the schema with the given global id, as {@code GET /schemas/ids/{id}} does.
     *
     * @throws SchemaNotFoundException if no schema has that id
     */
    Schema schemaById(int id);
}
