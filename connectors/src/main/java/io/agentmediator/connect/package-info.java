/**
 * Kafka Connect plugins that land the audit trail in SQL: {@link io.agentmediator.connect.RegistryAvroConverter}
 * reads our Confluent-wire-format Avro values from any Confluent-compatible registry, and the transforms
 * {@link io.agentmediator.connect.ReplaceNul}, {@link io.agentmediator.connect.JsonCopy},
 * {@link io.agentmediator.connect.MapsAsJson} and {@link io.agentmediator.connect.ReasonCodes} do what Connect's own
 * transforms cannot: keep PostgreSQL from refusing a NUL character, keep the whole case file as a JSON column, let
 * {@code Flatten} through a value that holds a map, and turn a list of reasons into queryable codes.
 */
package io.agentmediator.connect;
