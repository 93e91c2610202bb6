package io.agentmediator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.testing.PipelineDriver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A producer allowed to register its subject's schemas registers a newer AgentIntent with one more field, of a recursive
 * type with a default (compatible), and sends a record nesting it 200,000 levels deep in 200 KB. The mediator skips the
 * field it does not know, a frame a level: the record is dead-lettered as malformed, and the next intent is decided. So is
 * one whose added array claims more items, each of no bytes, than the record could carry.
 */
class NestedUnknownFieldTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final int DEPTH = 200_000;
    private static final String POLICY = """
            version: "nested-1"
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
    void shouldDeadLetterARecordNestingAnUnknownFieldDeeperThanTheStackAndDecideTheNext() throws Exception {
        // Given AgentIntent with a linked list added, registered, and a record with 200,000 links
        Schema link = new Schema.Parser().parse("""
                {"type": "record", "name": "Link", "namespace": "elsewhere", "fields": [
                  {"name": "next", "type": ["null", "Link"], "default": null}]}""");
        Schema newer = ForeignIntents.agentIntent(UnaryOperator.identity(),
                new Schema.Field("chain", Schema.createUnion(Schema.create(Schema.Type.NULL), link), null, Schema.Field.NULL_DEFAULT_VALUE));
        int id = mediator.registry().register("agent.intents-value", newer);
        byte[] nested = nested(id);

        // When it arrives
        assertThatCode(() -> mediator.pipe(mediator.topics().intents(), "bystander".getBytes(StandardCharsets.UTF_8), nested, T0))
                .doesNotThrowAnyException();

        // Then it is dead-lettered, saying why, and the next intent is decided
        assertThat(mediator.deadLetters()).singleElement().satisfies(letter -> assertThat(new String(
                letter.headers().lastHeader("mediator.error.message").value(), StandardCharsets.UTF_8))
                .contains("nests deeper than it can be read"));
        mediator.send(AgentIntent.newBuilder().setIntentId("after").setAgentId("bystander").setAction("llm.call").setTarget("llm:large")
                .setCostMicros(1).setCommitmentMicros(0).setConfidence(0.95).build(), T0.plusSeconds(1));
        assertThat(mediator.decision("after").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldDeadLetterARecordWhoseUnknownArrayClaimsMoreEmptyItemsThanItHasBytesAndDecideTheNext() throws Exception {
        // Given AgentIntent with an array of nulls added, registered, and a record of a hundred bytes claiming 100 million
        Schema newer = ForeignIntents.agentIntent(UnaryOperator.identity(), new Schema.Field("padding",
                Schema.createArray(Schema.create(Schema.Type.NULL)), null, List.of()));
        int id = mediator.registry().register("agent.intents-value", newer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = ForeignIntents.bystandersIntent(out, id, "padded-1");
        encoder.writeIndex(0);              // expiresAt: null
        encoder.writeLong(100_000_000);     // the padding's one block, its items no bytes at all
        encoder.writeLong(0);
        encoder.flush();

        // When it arrives
        mediator.pipe(mediator.topics().intents(), "bystander".getBytes(StandardCharsets.UTF_8), out.toByteArray(), T0);

        // Then it is dead-lettered, saying why, and the next intent is decided
        assertThat(mediator.deadLetters()).singleElement().satisfies(letter -> assertThat(new String(
                letter.headers().lastHeader("mediator.error.message").value(), StandardCharsets.UTF_8))
                .contains("claims more collection items than its bytes could carry"));
        mediator.send(AgentIntent.newBuilder().setIntentId("after").setAgentId("bystander").setAction("llm.call").setTarget("llm:large")
                .setCostMicros(1).setCommitmentMicros(0).setConfidence(0.95).build(), T0.plusSeconds(1));
        assertThat(mediator.decision("after").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    /** An intent of bystander's in the newer schema, every field empty or null but the chain. */
    private static byte[] nested(int schemaId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = ForeignIntents.bystandersIntent(out, schemaId, "nested-1");
        encoder.writeIndex(0);          // expiresAt: null
        for (int level = 0; level < DEPTH; level++) {
            encoder.writeIndex(1);      // a link
        }
        encoder.writeIndex(0);          // the last one's next: null
        encoder.flush();
        return out.toByteArray();
    }
}
