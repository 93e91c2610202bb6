package io.agentmediator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionCanonicalFormTest {

    /** Published in docs/SIGNING.md (version 1); other implementations compare against it byte for byte. */
    static final String GOLDEN_TEXT = """
            agent-mediator-decision-v1
            intentId=11:intent-0001
            agentId=15:finance-analyst
            correlationId=15:quarter-close-7
            outcome=8:ESCALATE
            tier=7:MANAGER
            reasons=2
            reason.code=14:OVER_AUTHORITY
            reason.ruleId=~
            reason.message=56:commitment 7500.00 € is above the authority of 5000.00
            reason.code=4:RULE
            reason.ruleId=17:schedule-variance
            reason.message=40:schedule variance above 15%
            see the plan
            policyVersion=12:2026-11-21.1
            decidedAt=1795253400000
            decidedBy=8:mediator
            deadline=1795267800000
            """;

    /** Published in docs/SIGNING.md (version 2, what the mediator signs): version 1's lines, then five more; computed independently with Python. */
    static final String GOLDEN_TEXT_V2 = GOLDEN_TEXT.replace("agent-mediator-decision-v1\n", "agent-mediator-decision-v2\n") + """
            intentSha256=64:feb5a3a4ac29c4f4ed0aa5dc6cb753d76bcf2daf9867fcf103963cf434a829fa
            action=14:invoice.create
            target=3:erp
            costMicros=250000
            commitmentMicros=7500000000
            """;

    @Test
    void shouldEncodeTheGoldenDecisionExactlyAsDocumented() throws Exception {
        // Given the golden decision, and the same bound to its intent
        Decision decision = GoldenVector.decision();
        Decision bound = GoldenVector.decisionV2();

        // When
        byte[] version1 = DecisionCanonicalForm.bytesV1(decision);
        byte[] version2 = DecisionCanonicalForm.bytes(bound);

        // Then
        assertThat(DecisionCanonicalForm.textV1(decision)).isEqualTo(GOLDEN_TEXT);
        assertThat(DecisionCanonicalForm.text(bound)).isEqualTo(GOLDEN_TEXT_V2);
        assertThat(version1).isEqualTo(GOLDEN_TEXT.getBytes(StandardCharsets.UTF_8)).hasSize(487);
        assertThat(version2).isEqualTo(GOLDEN_TEXT_V2.getBytes(StandardCharsets.UTF_8)).hasSize(652);
        assertThat(sha256(version1)).isEqualTo("c4263f0992f9b5fcdd02bff034c6b8c3740aef9e914c4af06b7b887f61eb1bde");
        assertThat(sha256(version2)).isEqualTo("278743b79a9d01831a77ef9c6e9ffd43195fcf8abbb1e9387bea5ab171762ba0");
        assertThat(sha256(GoldenVector.INTENT_VALUE)).isEqualTo(GoldenVector.INTENT_SHA256);
    }

    @Test
    void shouldWriteAbsentBindingFieldsAsNullInVersion2() {
        // Given a decision without the fields version 2 added
        Decision decision = GoldenVector.decision();

        // When / Then
        assertThat(DecisionCanonicalForm.text(decision)).startsWith("agent-mediator-decision-v2\n")
                .endsWith("deadline=1795267800000\nintentSha256=~\naction=~\ntarget=~\ncostMicros=~\ncommitmentMicros=~\n");
        assertThat(DecisionCanonicalForm.withinVersion1(decision)).isTrue();
        assertThat(DecisionCanonicalForm.withinVersion1(GoldenVector.decisionV2())).isFalse();
    }

    @Test
    void shouldDependOnlyOnFieldValues() {
        // Given the golden decision built another way: constructor, other list type, a signature
        Decision rebuilt = new Decision("intent-0001", "finance-analyst", "quarter-close-7", DecisionOutcome.ESCALATE,
                "MANAGER", new ArrayList<>(GoldenVector.decision().getReasons()), "2026-11-21.1",
                Instant.parse("2026-11-21T09:30:00.000999Z"), "mediator", Instant.ofEpochMilli(1795267800000L),
                ByteBuffer.wrap(new byte[64]), null, null, null, null, null);

        // When / Then
        assertThat(DecisionCanonicalForm.textV1(rebuilt)).isEqualTo(GOLDEN_TEXT);
    }

    @Test
    void shouldDistinguishNullFromEmpty() {
        // Given
        Decision withNullTier = plainExecute(null);
        Decision withEmptyTier = plainExecute("");
        Decision withTildeTier = plainExecute("~");

        // When / Then
        assertThat(DecisionCanonicalForm.text(withNullTier)).contains("\ntier=~\n");
        assertThat(DecisionCanonicalForm.text(withEmptyTier)).contains("\ntier=0:\n");
        assertThat(DecisionCanonicalForm.text(withTildeTier)).contains("\ntier=1:~\n");
    }

    @Test
    void shouldNotLetAValueForgeTheLinesAfterIt() {
        // Given a reason message that spells out the next lines of another decision
        Decision honest = plainExecute(null);
        honest.setReasons(List.of(new Reason(ReasonCode.RULE, "r", "a"), new Reason(ReasonCode.RULE, "r", "b")));
        Decision forged = plainExecute(null);
        forged.setReasons(List.of(new Reason(ReasonCode.RULE, "r", "a\nreason.code=4:RULE\nreason.ruleId=1:r\nreason.message=1:b")));

        // When / Then the lengths keep them apart
        assertThat(DecisionCanonicalForm.bytes(forged)).isNotEqualTo(DecisionCanonicalForm.bytes(honest));
    }

    @Test
    void shouldWriteInstantsBeforeTheEpochAsNegativeMillis() {
        // Given
        Decision decision = plainExecute(null);
        decision.setDecidedAt(Instant.parse("1969-12-31T23:59:59.999Z"));

        // When / Then
        assertThat(DecisionCanonicalForm.text(decision)).contains("\ndecidedAt=-1\n");
    }

    @Test
    void shouldEncodeAPlainExecuteWithNoReasonsAndNoDeadline() {
        // Given
        Decision decision = plainExecute(null);

        // When / Then
        assertThat(DecisionCanonicalForm.textV1(decision)).isEqualTo("""
                agent-mediator-decision-v1
                intentId=3:i-1
                agentId=1:a
                correlationId=3:i-1
                outcome=7:EXECUTE
                tier=~
                reasons=0
                policyVersion=1:7
                decidedAt=0
                decidedBy=8:mediator
                deadline=~
                """);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static Decision plainExecute(String tier) {
        return Decision.newBuilder()
                .setIntentId("i-1")
                .setAgentId("a")
                .setCorrelationId("i-1")
                .setOutcome(DecisionOutcome.EXECUTE)
                .setTier(tier)
                .setReasons(new ArrayList<>())
                .setPolicyVersion("7")
                .setDecidedAt(Instant.EPOCH)
                .setDecidedBy("mediator")
                .build();
    }
}
