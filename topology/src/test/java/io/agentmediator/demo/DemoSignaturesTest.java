package io.agentmediator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.PolicySource;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.PipelineDriver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's approvers and executors sign as the example policy registers them: under that policy,
 * which requires signed approvals and outcomes, their answers and outcomes count.
 */
class DemoSignaturesTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final long SEED = 7;

    private final PipelineDriver mediator = new PipelineDriver(example(), T0);

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldHaveTheDemoApproversAnswerCountWhereSignaturesAreRequired() {
        // Given an invoice above the finance analyst's authority, escalated to its manager
        mediator.send(invoice("inv-1", 6_000_000_000L), T0);
        Decision escalation = mediator.decision("inv-1");
        assertThat(escalation.getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);

        // When the simulated approvers answer it: someone who may not, then its approver
        SimulatedApprover.ApprovalRound round = new SimulatedApprover(mediator.policy(), mediator.topics().approvalSerde().serializer(),
                mediator.topics().approvals().name(), SEED).answer(List.of(escalation));
        send(round.records(), true);

        // Then the eligible answer decided it, signed by maria, and the other attempt changed nothing
        Decision answered = mediator.decision("inv-1");
        assertThat(answered.getReasons().get(0).getCode()).isIn(ReasonCode.APPROVED, ReasonCode.DENIED);
        assertThat(answered.getDecidedBy()).isEqualTo("maria@example.com");
        assertThat(round.ineligible()).containsOnlyKeys("inv-1");
    }

    @Test
    void shouldHaveTheDemoExecutorsOutcomesCountWhereSignaturesAreRequired() {
        // Given an executed invoice whose end is scripted FAILED, so its executor reports it
        mediator.send(invoice("inv-2", 1_000_000L), T0);
        Decision executed = mediator.decision("inv-2");
        assertThat(executed.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        SimulatedExecutors executors = new SimulatedExecutors(mediator.topics().outcomeSerde().serializer(),
                mediator.topics().outcomes().name(), SEED, intentId -> 1_000_000L, intentId -> Optional.of(OutcomeStatus.FAILED));

        // When
        send(executors.report(List.of(executed)), false);

        // Then the case records the failure its executor:finance-analyst reported
        assertThat(mediator.caseFiles().get("inv-2").getStage()).isEqualTo(CaseStage.FAILED);
    }

    private void send(List<ProducerRecord<byte[], byte[]>> records, boolean approvals) {
        for (ProducerRecord<byte[], byte[]> record : records) {
            mediator.pipe(approvals ? mediator.topics().approvals() : mediator.topics().outcomes(), record.key(), record.value(),
                    record.headers(), T0.plusSeconds(60));
        }
    }

    private static AgentIntent invoice(String intentId, long commitmentMicros) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("finance-analyst").setAction("invoice.create").setTarget("erp")
                .setCostMicros(100_000).setCommitmentMicros(commitmentMicros).setConfidence(0.95).build();
    }

    private static String example() {
        try (InputStream example = PolicySource.class.getResourceAsStream("/policies/example.yaml")) {
            return new String(example.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
