package io.agentmediator.gate;

import static io.agentmediator.gate.GateFixture.intent;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.signing.IntentSignatures;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replay protection of signed intents through the real topology, with the default dedupe.retention
 * of seven days: the same signed bytes are answered DUPLICATE while the id is remembered, and
 * EXPIRED after, because a signed expiresAt may not lie beyond the retention (issue 14: identical
 * signed bytes sent 7 days and 1 second later executed again).
 */
class ReplayWindowTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(7);

    private final GateFixture gate = new GateFixture(T0);

    @AfterEach
    void tearDown() {
        gate.close();
    }

    @Test
    void shouldNeverExecuteTheSameSignedBytesTwiceWhenTheyCarryAnExpiry() {
        // Given a signed intent valid for an hour, executed on arrival
        AgentIntent quote = quote("replay-1", T0.plus(Duration.ofHours(1)));
        byte[] signature = sign(quote);
        gate.sendSigned(quote, signature, T0);
        assertThat(gate.decision().getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);

        // When the very same bytes are sent again a day later, then a second past the dedupe retention
        gate.sendSigned(quote, signature, T0.plus(Duration.ofDays(1)));
        Reason withinRetention = onlyRejection(gate.decision());
        gate.sendSigned(quote, signature, T0.plus(RETENTION).plusSeconds(1));
        Reason afterRetention = onlyRejection(gate.decision());

        // Then both are duplicates: past the dedupe retention the id is still known by its executed case, kept for the
        // case retention (and had it been forgotten, its signed expiry has passed)
        assertThat(withinRetention.getCode()).isEqualTo(ReasonCode.DUPLICATE);
        assertThat(afterRetention.getCode()).isEqualTo(ReasonCode.DUPLICATE);
    }

    @Test
    void shouldRefuseASignedExpiryBeyondTheDedupeRetentionAndAcceptOneAtIt() {
        // Given two signed intents: one expiring exactly as its id is forgotten, one a second later
        AgentIntent atTheLimit = quote("limit-1", T0.plus(RETENTION));
        AgentIntent beyond = quote("beyond-1", T0.plus(RETENTION).plusSeconds(1));

        // When both arrive at T0
        gate.sendSigned(atTheLimit, sign(atTheLimit), T0);
        Decision accepted = gate.decision();
        gate.sendSigned(beyond, sign(beyond), T0);
        Reason refused = onlyRejection(gate.decision());

        // Then the first executes and the second is refused, saying how far ahead an expiry may be signed
        assertThat(accepted.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(refused.getCode()).isEqualTo(ReasonCode.EXPIRED);
        assertThat(refused.getMessage()).contains("dedupe.retention (PT168H)", "no later than " + T0.plus(RETENTION));
        assertThat(gate.caseFiles().get("beyond-1").getChecks())
                .anySatisfy(check -> assertThat(check.getCheck()).isEqualTo("expiry-within-replay-window"));
    }

    @Test
    void shouldLeaveTheExpiryOfAnAgentWithoutAKeyAsItIs() {
        // Given an agent that signs nothing, sending an intent valid for a month
        gate.send(intent("unsigned-1").setExpiresAt(T0.plus(Duration.ofDays(30))).build(), T0);

        // Then nothing was there to replay: it executes
        assertThat(gate.decision().getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    private AgentIntent quote(String intentId, Instant expiresAt) {
        return intent(intentId).setAgentId("signed-agent").setAction("quote.request").setTarget("supplier-portal")
                .setExpiresAt(expiresAt).build();
    }

    private byte[] sign(AgentIntent intent) {
        return IntentSignatures.sign(gate.serialize(intent), GateFixture.AGENT_KEY.getPrivate());
    }

    private static Reason onlyRejection(Decision decision) {
        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(decision.getReasons()).hasSize(1);
        return decision.getReasons().get(0);
    }
}
