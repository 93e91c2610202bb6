package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audit topic is compacted and keyed by intent id, beside the keys the mediator files its own records under: a forged
 * intent under {@code untrusted:<where>:<id>}, an answer that matched no case under {@code <id>#approval@<where>}, a policy
 * under {@code policy:<id>:<version>}. An intent whose id takes one of those forms is malformed, so it is filed where it
 * was read and never replaces that record.
 */
class ReservedAuditKeysTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "keys-1"
            tiers: [MANAGER]
            agents:
              - id: treasurer
                publicKey: "%s"
                capabilities: { actions: ["*"], targets: ["*"] }
              - id: intern
                capabilities: { actions: ["*"], targets: ["*"] }
            approvers:
              - { id: boss, tier: MANAGER, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("treasurer"), TestKeys.publicKey("boss"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldKeepTheCaseFileOfAForgedIntentWhenAnotherIntentTakesItsKeyAsItsId() {
        // Given a forged (unsigned) wire of the treasurer, rejected and filed where it was read
        mediator.send(intent("wire-1", "treasurer"), T0);
        String evidence = "untrusted:agent.intents-0@0:wire-1";
        assertThat(mediator.caseFiles().get(evidence).getAgentId()).isEqualTo("treasurer");

        // When the intern sends an intent whose id is that key
        mediator.send(intent(evidence, "intern"), T0.plusSeconds(5));

        // Then it is malformed, and the forged wire's case file stays as it was
        assertThat(onlyReason(evidence)).satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.MALFORMED);
            assertThat(reason.getMessage()).contains("intentId starts with \"untrusted:\"");
        });
        assertThat(mediator.caseFiles().get(evidence).getAgentId()).isEqualTo("treasurer");
    }

    @Test
    void shouldKeepTheNoteOfAForgedApprovalWhenAnIntentTakesItsKeyAsItsId() {
        // Given a forged approval for an intent nobody decided, noted under a key of its own
        mediator.approve(new Approval("po-9", "boss", ApprovalDecision.APPROVE, null, null, null), TestKeys.privateKey("mallory"), T0);
        mediator.advanceWallClock(Duration.ofMinutes(2));
        String note = "po-9#approval@agent.approvals-0@0";
        assertThat(mediator.caseFiles().get(note).getIntent()).isNull();

        // When an intent takes that key as its id
        mediator.send(intent(note, "intern"), T0.plus(Duration.ofMinutes(3)));

        // Then the note stays
        assertThat(onlyReason(note).getCode()).isEqualTo(ReasonCode.MALFORMED);
        assertThat(mediator.caseFiles().get(note).getIntent()).isNull();
    }

    @Test
    void shouldDeadLetterAnAnswerWhoseIntentIdTakesTheFormOfTheMediatorsOwnKeys() {
        // Given a forged intent whose id ends as an unmatched approval's key would, filed where it was read (the first record of
        // agent.intents): its key is what an unmatched approval of id "untrusted:agent.intents-0@0:z" read first on
        // agent.approvals would be filed under
        String forgedId = "z#approval@agent.approvals-0@0";
        mediator.send(intent(forgedId, "treasurer"), T0);
        String evidence = "untrusted:agent.intents-0@0:" + forgedId;
        assertThat(mediator.caseFiles().get(evidence).getIntent()).isNotNull();

        // When that approval comes, and an outcome naming an id of the same form
        mediator.approve(new Approval("untrusted:agent.intents-0@0:z", "boss", ApprovalDecision.APPROVE, null, null, null),
                TestKeys.privateKey("boss"), T0.plusSeconds(1));
        mediator.report(new Outcome("unidentified:agent.intents-0@9", OutcomeStatus.COMPLETED, null, "erp", null, null, null),
                T0.plusSeconds(2));
        mediator.advanceWallClock(Duration.ofMinutes(2));

        // Then both are dead-lettered, saying why, and the forged intent's case file is still the latest under its key
        assertThat(mediator.deadLetters()).hasSize(2).allSatisfy(letter -> assertThat(new String(
                letter.headers().lastHeader(DeadLetterHeaders.ERROR_MESSAGE).value(), StandardCharsets.UTF_8))
                .contains("as the audit keys the mediator files its own records under"));
        assertThat(mediator.caseFiles().get(evidence).getIntent()).isNotNull();
        assertThat(mediator.caseFiles().keySet()).noneMatch(key -> key.startsWith("untrusted:agent.intents-0@0:z#")
                && !key.equals(evidence));
    }

    @Test
    void shouldRejectEveryFormOfTheMediatorsOwnKeysAndNothingElse() {
        String[] reserved = {"unidentified:agent.intents-0@3", "policy:example:7", "x#outcome@agent.outcomes-0@1"};
        for (String id : reserved) {
            mediator.send(intent(id, "intern"), T0);
            assertThat(onlyReason(id).getCode()).as(id).isEqualTo(ReasonCode.MALFORMED);
        }
        // An id that only looks alike is an id like any other
        String[] ordinary = {"order#7", "policy-review:7", "x#approval", "untrusted"};
        for (String id : ordinary) {
            mediator.send(intent(id, "intern"), T0);
            assertThat(mediator.decision(id).getOutcome()).as(id).isEqualTo(DecisionOutcome.EXECUTE);
            assertThat(mediator.caseFiles()).containsKey(id);
        }
    }

    private Reason onlyReason(String intentId) {
        assertThat(mediator.decision(intentId).getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        return mediator.decision(intentId).getReasons().get(0);
    }

    private static AgentIntent intent(String id, String agent) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId(agent).setAction("wire.transfer").setTarget("bank")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.95).build();
    }
}
