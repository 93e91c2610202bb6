package io.agentmediator.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.serde.WireFormat;
import io.agentmediator.testing.PipelineDriver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An approval larger than the mediator's producer may send (an approval tool on a newer schema, with a field the mediator
 * skips) cannot be moved to its case's partition: it is dead-lettered wherever it arrives, keyed by its intent id on that
 * id's partition as much as keyed by anything else, so its producer's key and partitioner decide nothing.
 */
class OversizedAnswerTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "oversized-answer-1"
            tiers: [MANAGER]
            agents:
              - id: buyer
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
            approvers:
              - { id: boss, tier: MANAGER }
            signatures: { approvals: OPTIONAL }
            """;

    /** The mediator's producer sends records of up to 60,000 bytes; the approval tool's, more. */
    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0,
            MediatorConfig.layered(Map.of(), Map.of(), Map.of("producer.max.request.size", "60000")));

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldDeadLetterAnApprovalTooLargeToMoveWhateverItIsKeyedBy() throws Exception {
        // Given three escalated intents of buyer, and an approval tool with a 50,000-character field the mediator skips
        for (String intentId : List.of("a-1", "a-2", "a-3")) {
            mediator.send(AgentIntent.newBuilder().setIntentId(intentId).setAgentId("buyer").setAction("order.place").setTarget("erp")
                    .setCostMicros(0).setCommitmentMicros(5_000).setConfidence(0.9).build(), T0);
        }
        Schema newer = newerApproval();
        int id = mediator.registry().register("agent.approvals-value", newer);

        // When each is approved: a-1 keyed by its intent id (read where it is), a-2 by the agent id, a-3 with no key (moved)
        mediator.pipe(mediator.topics().approvals(), bytes("a-1"), approval(newer, id, "a-1"), T0.plusSeconds(1));
        mediator.pipe(mediator.topics().approvals(), bytes("buyer"), approval(newer, id, "a-2"), T0.plusSeconds(1));
        mediator.pipe(mediator.topics().approvals(), null, approval(newer, id, "a-3"), T0.plusSeconds(1));

        // Then none is applied, each dead-lettered saying why
        for (String intentId : List.of("a-1", "a-2", "a-3")) {
            assertThat(mediator.decision(intentId).getOutcome()).as(intentId).isEqualTo(DecisionOutcome.ESCALATE);
        }
        assertThat(mediator.deadLetters()).hasSize(3).allSatisfy(letter -> assertThat(new String(
                letter.headers().lastHeader("mediator.error.message").value(), StandardCharsets.UTF_8))
                .contains("could not be moved to its case's partition; it is dead-lettered wherever it arrives"));
    }

    private static Schema newerApproval() {
        List<Schema.Field> fields = new ArrayList<>();
        Approval.getClassSchema().getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("attachment", Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                null, Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord("Approval", null, Approval.getClassSchema().getNamespace(), false, fields);
    }

    /** An APPROVE by boss for {@code intentId}, in the newer schema, with a 50,000-character attachment. */
    private static byte[] approval(Schema newer, int schemaId, String intentId) throws Exception {
        GenericRecord approval = new GenericData.Record(newer);
        approval.put("intentId", intentId);
        approval.put("approverId", "boss");
        approval.put("decision", new GenericData.EnumSymbol(newer.getField("decision").schema(), "APPROVE"));
        approval.put("attachment", "x".repeat(50_000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WireFormat.header(schemaId));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(newer).write(approval, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
