package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReplyKind;
import io.agentmediator.signing.Ed25519Keys;
import io.agentmediator.testing.TestKeys;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's key rotated while an intent it signed with the old key had its claims with the resource ledger: whatever the
 * ledger answers after, the intent is rejected as the gate would reject it now, and what was granted goes back. Without a
 * rotation, an intent that escalates from there names the key that verified it, for its approval to check.
 */
class RotatedWhileClaimingTest {

    private static final Instant T0 = ParkedClaims.T0;
    private static final String POLICY = """
            version: "%s"
            tiers: [MANAGER]
            agents:
              - id: booker
                publicKey: "%s"
                capabilities: { actions: ["*"], targets: ["*"] }
            resources:
              - { pattern: "room-*", capacity: 1 }
            approvers:
              - { id: manager, tier: MANAGER }
            """;
    private static final Policy KEYS_1 = PolicyParser.parse("k1.yaml", POLICY.formatted("keys-1", TestKeys.publicKey("booker"))).policy();
    private static final Policy KEYS_2 = PolicyParser.parse("k2.yaml", POLICY.formatted("keys-2", TestKeys.publicKey("booker-rotated"))).policy();

    @TempDir File stateDir;
    private final CurrentPolicy policy = new CurrentPolicy(KEYS_1);
    private ParkedClaims parked;

    @BeforeEach
    void parkASignedBooking() {
        // Given booker's booking, signed with its key under keys-1 (say by whoever stole it), parked for its claims
        parked = new ParkedClaims(stateDir, policy, new Suspensions(), Duration.ofMinutes(5), T0);
        parked.sendSigned(ParkedClaims.roomFor("i-1", "booker", 0), T0);
        assertThat(parked.forwardedTo("ledger-requests-sink")).as("parked for its claims").isNotEmpty();
        parked.context.resetForwards();
    }

    @Test
    void shouldRejectAGrantedIntentSignedWithTheKeyRotatedOutAndGiveBackWhatWasGranted() {
        // When keys-2 gives booker a new key, and then the ledger grants the room
        policy.replace(KEYS_2);
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(1));

        // Then it is not executed but rejected, as the gate now rejects the old key's intents, and the room goes back
        assertThat(parked.forwardedTo("execute-sink")).isEmpty();
        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getPolicyVersion()).isEqualTo("keys-2");
        assertThat(rejected.getReasons()).extracting(reason -> reason.getCode()).containsExactly(ReasonCode.SIGNATURE_INVALID);
        assertThat(parked.caseFile().getChecks()).last().satisfies(check -> assertThat(check.getCheck()).isEqualTo("signature"));
        assertThat(parked.forwardedTo("ledger-requests-sink")).as("what was granted, given back").isNotEmpty();
    }

    @Test
    void shouldRejectAConflictOfAnIntentSignedWithTheKeyRotatedOutNotEscalateIt() {
        // When keys-2 gives booker a new key, and then the ledger answers that the room is taken
        policy.replace(KEYS_2);
        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "booker", List.of()), T0.plusSeconds(1));

        // Then no approver is asked about it
        assertThat(parked.forwardedTo("escalate-sink")).isEmpty();
        assertThat(parked.decisionTo("reject-sink").getReasons()).extracting(reason -> reason.getCode())
                .containsExactly(ReasonCode.SIGNATURE_INVALID);
    }

    @Test
    void shouldEscalateAConflictNamingTheKeyThatVerifiedTheIntent() {
        // When the ledger answers that the room is taken, the key unchanged
        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "booker", List.of()), T0.plusSeconds(1));

        // Then the escalation's case file names the key that verified the intent, which a later rotation would make refuse
        // an approval
        AuditRecord escalated = parked.forwardedTo("audit-sink").stream().map(f -> ((CaseFileValue) f.record().value()).caseFile())
                .reduce((first, last) -> last).orElseThrow();
        assertThat(escalated.getDecision().getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(escalated.getIntentKeyFingerprint())
                .isEqualTo(Ed25519Keys.fingerprint(Ed25519Keys.publicKeyFromBase64(TestKeys.publicKey("booker"))));
        assertThat(StillAllowed.rejection(KEYS_2, "booker", escalated.getIntent(), T0, escalated.getIntentKeyFingerprint()))
                .hasValueSatisfying(refusal -> assertThat(refusal.rejection().code()).isEqualTo(ReasonCode.SIGNATURE_INVALID));
    }
}
