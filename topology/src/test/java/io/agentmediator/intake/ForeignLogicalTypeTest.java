package io.agentmediator.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.serde.WireFormat;
import io.agentmediator.testing.PipelineDriver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A producer's schema declares {@code expiresAt} as {@code timestamp-micros}: a registry calls it compatible (logical types
 * are not compared) and Avro reads the long as ours, milliseconds, fifty thousand years ahead. Its intent, expired an hour
 * ago, must not be executed: it is dead-lettered, naming the field, and the same intent in our schema is rejected EXPIRED.
 */
class ForeignLogicalTypeTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "lt-1"
            agents:
              - id: bystander
                capabilities: { actions: ["*"], targets: ["*"] }
            """;

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldNotReadAnExpiryWrittenInMicrosecondsAsMilliseconds() throws Exception {
        // Given AgentIntent with expiresAt in microseconds, registered, and an intent that expired an hour ago in it
        Schema micros = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
        Schema foreign = ForeignIntents.agentIntent(field -> field.name().equals("expiresAt")
                ? new Schema.Field(field.name(), Schema.createUnion(Schema.create(Schema.Type.NULL), micros), null, Schema.Field.NULL_DEFAULT_VALUE)
                : field);
        int id = mediator.registry().register("agent.intents-value", foreign);
        Instant expired = T0.minus(1, ChronoUnit.HOURS);

        // When it arrives
        mediator.pipe(mediator.topics().intents(), "bystander".getBytes(StandardCharsets.UTF_8), expiringIn(id, expired), T0);

        // Then it is not decided but dead-lettered, naming the field and both types
        assertThat(mediator.decision("late-1")).isNull();
        assertThat(mediator.deadLetters()).singleElement().satisfies(letter -> assertThat(new String(
                letter.headers().lastHeader("mediator.error.message").value(), StandardCharsets.UTF_8))
                .contains("AgentIntent.expiresAt is timestamp-micros in the writer's schema, timestamp-millis in ours"));

        // And the same intent in our schema is rejected as expired
        mediator.send(AgentIntent.newBuilder().setIntentId("late-2").setAgentId("bystander").setAction("llm.call").setTarget("llm:large")
                .setCostMicros(1).setCommitmentMicros(0).setConfidence(0.9).setExpiresAt(expired).build(), T0);
        assertThat(mediator.decision("late-2").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
    }

    @Test
    void shouldDecideAnIntentWhoseWriterCallsItsIdAUuid() {
        // Given AgentIntent with intentId a uuid (as Avro IDL and Python's schema generators write it), registered: the same bytes
        Schema uuid = LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
        Schema foreign = ForeignIntents.agentIntent(field -> field.name().equals("intentId")
                ? new Schema.Field(field.name(), uuid, field.doc(), field.defaultVal()) : field);
        int id = mediator.registry().register("agent.intents-value", foreign);
        AgentIntent intent = AgentIntent.newBuilder().setIntentId("6f1c7e0e-2a4b-4c1e-9d3a-0b8f5c2d7e11").setAgentId("bystander")
                .setAction("llm.call").setTarget("llm:large").setCostMicros(1).setCommitmentMicros(0).setConfidence(0.9).build();
        byte[] written = mediator.topics().intentSerde().serializer().serialize("agent.intents", intent);
        System.arraycopy(WireFormat.header(id), 0, written, 0, WireFormat.HEADER_SIZE);

        // When it arrives
        mediator.pipe(mediator.topics().intents(), "bystander".getBytes(StandardCharsets.UTF_8), written, T0);

        // Then it is decided as the same intent in our schema would be, not dead-lettered
        assertThat(mediator.deadLetters()).isEmpty();
        assertThat(mediator.decision(intent.getIntentId()).getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    private static byte[] expiringIn(int schemaId, Instant expiresAt) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = ForeignIntents.bystandersIntent(out, schemaId, "late-1");
        encoder.writeIndex(1);
        encoder.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, expiresAt));
        encoder.flush();
        return out.toByteArray();
    }
}
