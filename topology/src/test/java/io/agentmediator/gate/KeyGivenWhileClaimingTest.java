package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReplyKind;
import io.agentmediator.testing.TestKeys;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that needed no key is given one while an unsigned intent in its name has its claims with the resource ledger:
 * whatever the ledger answers after, the intent is rejected as the gate would reject it now, and what was granted goes
 * back. While the agent still needs no key, the grant executes it.
 */
class KeyGivenWhileClaimingTest {

    private static final Instant T0 = ParkedClaims.T0;

    @TempDir File stateDir;
    private final CurrentPolicy policy = new CurrentPolicy(ParkedClaims.policy("open-1", false));
    private ParkedClaims parked;

    @BeforeEach
    void parkAnUnsignedBooking() {
        // Given an unsigned booking in booker's name, parked for its claims while booker needs no key
        parked = new ParkedClaims(stateDir, policy, new Suspensions(), Duration.ofMinutes(5), T0);
        parked.send(ParkedClaims.roomFor("i-1", "booker", 0), T0);
        assertThat(parked.forwardedTo("ledger-requests-sink")).as("parked for its claims").isNotEmpty();
        parked.context.resetForwards();
    }

    @Test
    void shouldRejectAGrantedUnsignedIntentOnceTheAgentMustSignAndGiveBackWhatWasGranted() {
        // When open-2 gives booker a key, and then the ledger grants the room
        policy.replace(withBookerKey("open-2", TestKeys.publicKey("booker")));
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(1));

        // Then it is not executed but rejected, as the gate now rejects booker's unsigned intents, and the room goes back
        assertThat(parked.forwardedTo("execute-sink")).isEmpty();
        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getPolicyVersion()).isEqualTo("open-2");
        assertThat(rejected.getReasons()).extracting(reason -> reason.getCode()).containsExactly(ReasonCode.SIGNATURE_INVALID);
        assertThat(rejected.getReasons().get(0).getMessage()).contains("its intent was not signed");
        assertThat(parked.forwardedTo("ledger-requests-sink")).as("what was granted, given back").isNotEmpty();
    }

    @Test
    void shouldExecuteAGrantedUnsignedIntentWhileTheAgentNeedNotSign() {
        // When open-2 changes nothing of booker's key, and then the ledger grants the room
        policy.replace(withBookerKey("open-2", null));
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(1));

        // Then it is executed
        assertThat(parked.forwardedTo("reject-sink")).isEmpty();
        assertThat(parked.decisionTo("execute-sink").getPolicyVersion()).isEqualTo("open-2");
    }

    private static Policy withBookerKey(String version, String publicKey) {
        PolicyDocument document = PolicyCodec.toAvro(ParkedClaims.policy(version, false));
        document.setAgents(document.getAgents().stream().map(agent -> agent.getId().equals("booker")
                ? AgentPolicy.newBuilder(agent).setPublicKey(publicKey).build() : agent).toList());
        return PolicyCodec.fromAvro(document).policy();
    }
}
