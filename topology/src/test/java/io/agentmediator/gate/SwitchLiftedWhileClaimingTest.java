package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.controls.TestSwitches;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReplyKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An intent out to the resource ledger for its claims when its agent's switch was pulled is rejected when the ledger
 * answers, whatever the answer, though the switch was lifted before: and one sent after the switch was lifted is not.
 */
class SwitchLiftedWhileClaimingTest {

    private static final Instant T0 = ParkedClaims.T0;

    @TempDir File stateDir;

    @Test
    void shouldRejectAnIntentOutToTheLedgerWhenTheSwitchCameThoughItWasLiftedBeforeTheAnswer() {
        Suspensions suspensions = new Suspensions();
        ParkedClaims parked = new ParkedClaims(stateDir, new CurrentPolicy(ParkedClaims.policy("listing-1", false)), suspensions,
                Duration.ofMinutes(5), T0);
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        TestSwitches.pulledAndLifted(suspensions, "booker", T0.plusSeconds(1));
        // Parked by the clock the switch is told by: the mediator's
        parked.context.setCurrentSystemTimeMs(T0.plusSeconds(2).toEpochMilli());
        parked.send(ParkedClaims.roomFor("i-2", "booker", 2_000_000), T0.plusSeconds(2));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(30));
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-2", "booker", List.of("resource:room-1")), T0.plusSeconds(30));

        assertThat(parked.decisionTo("reject-sink").getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.AGENT_SUSPENDED);
            assertThat(reason.getMessage()).contains("(a switch lifted since)");
        });
        assertThat(parked.decisionTo("execute-sink").getIntentId()).isEqualTo("i-2");
    }
}
