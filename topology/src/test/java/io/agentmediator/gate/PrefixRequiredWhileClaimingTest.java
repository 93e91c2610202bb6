package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.gate.check.IntentIdPrefixCheck;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReplyKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy published while an intent's claims are out that requires intent ids to name their agent
 * ({@code defaults.intentIdPrefix: AGENT}): the intent, whose id does not, is not executed when the ledger grants its claims,
 * as the gate would now refuse it. The whole topology in a TopologyTestDriver answers claims within the same input, so this
 * window is reached here; the approval path, through the topology, in {@code RevokedCapabilityTest}.
 */
class PrefixRequiredWhileClaimingTest {

    private static final Instant T0 = ParkedClaims.T0;

    @TempDir File stateDir;

    @Test
    void aGrantedIntentWhoseIdTheNewPolicyRefusesIsRejectedAndWhatItWasGrantedGoesBack() {
        // Given booking b-1 parked for its claim under a policy that lets ids be anything
        CurrentPolicy policy = new CurrentPolicy(ParkedClaims.policy("prefix-1", false));
        ParkedClaims parked = new ParkedClaims(stateDir, policy, new Suspensions(), Duration.ofMinutes(5), T0);
        parked.send(ParkedClaims.roomFor("b-1", "booker", 0), T0);
        parked.context.resetForwards();

        // When a policy requiring ids to start with "booker:" is in force by the time the ledger grants the room
        PolicyDocument document = PolicyCodec.toAvro(ParkedClaims.policy("prefix-2", false));
        document.getDefaults().setIntentIdPrefix("AGENT");
        policy.replace(PolicyCodec.fromAvro(document).policy());
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "b-1", "booker", List.of("resource:room-1")), T0.plusSeconds(1));

        // Then it is rejected MALFORMED under prefix-2, filed under the check the gate names it by, and the room goes back
        assertThat(parked.forwardedTo("execute-sink")).isEmpty();
        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getPolicyVersion()).isEqualTo("prefix-2");
        assertThat(rejected.getReasons()).extracting(reason -> reason.getCode()).contains(ReasonCode.MALFORMED);
        assertThat(parked.caseFile().getChecks()).last().satisfies(check -> {
            assertThat(check.getCheck()).isEqualTo(new IntentIdPrefixCheck().name());
            assertThat(check.getStatus()).isEqualTo(CheckStatus.FAIL);
        });
        assertThat(parked.released()).containsExactly("resource:room-1");
    }
}
