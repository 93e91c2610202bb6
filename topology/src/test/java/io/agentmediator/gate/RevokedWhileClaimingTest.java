package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.Capabilities;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReplyKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An intent whose claims were with the resource ledger when a policy took its action away from the agent is decided under
 * the policy in force when the answer comes, whose version its decision carries: rejected as the gate rejects the action
 * now, whatever the ledger answered, with its reservation released and what the ledger granted given back. Neither
 * executed nor escalated to an approver who could only deny it.
 */
class RevokedWhileClaimingTest {

    private static final Instant T0 = ParkedClaims.T0;
    private static final Policy BOOKING = ParkedClaims.policy("caps-1", false);

    @TempDir File stateDir;
    private final CurrentPolicy policy = new CurrentPolicy(BOOKING);
    private ParkedClaims parked;

    @BeforeEach
    void setUp() {
        parked = new ParkedClaims(stateDir, policy, new Suspensions(), Duration.ofMinutes(5), T0);
    }

    @Test
    void shouldRejectAGrantedClaimWhoseActionThePolicyTookAwayMeanwhile() {
        // Given booker's room booking parked for its claims under caps-1, then caps-2, which lets booker only read calendars
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        policy.replace(withBookerActions("caps-2", "calendar.read"));
        parked.context.resetForwards();

        // When the ledger grants the room
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(1));

        // Then it is rejected under caps-2, and everything goes back
        assertThat(parked.forwardedTo("execute-sink")).isEmpty();
        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getPolicyVersion()).isEqualTo("caps-2");
        assertThat(rejected.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.ACTION_NOT_ALLOWED);
            assertThat(reason.getMessage()).startsWith("policy caps-2, in force when its claims were answered: agent \"booker\" may not");
        });
        assertThat(parked.caseFile().getChecks()).extracting(check -> check.getCheck() + " " + check.getStatus())
                .endsWith("resource-ledger PASS", "capabilities FAIL");
        assertThat(parked.reserved("booker", T0, BOOKING)).isZero();
        parked.assertReleasedOnly("resource:room-1");
    }

    @Test
    void shouldRejectAConflictWhoseActionThePolicyTookAwayMeanwhileNotEscalateIt() {
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        policy.replace(withBookerActions("caps-2", "calendar.read"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "booker", List.of()), T0.plusSeconds(1));

        assertThat(parked.forwardedTo("escalate-sink")).isEmpty();
        assertThat(parked.decisionTo("reject-sink").getReasons()).extracting(reason -> reason.getCode())
                .containsExactly(ReasonCode.ACTION_NOT_ALLOWED);
        assertThat(parked.reserved("booker", T0, BOOKING)).isZero();
    }

    @Test
    void shouldExecuteAGrantedClaimThePolicyInForceStillAllows() {
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        policy.replace(withBookerActions("caps-2", "room.*", "calendar.read"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(1));

        assertThat(parked.decisionTo("execute-sink").getPolicyVersion()).isEqualTo("caps-2");
    }

    private static Policy withBookerActions(String version, String... actions) {
        PolicyDocument document = PolicyCodec.toAvro(ParkedClaims.policy(version, false));
        document.setAgents(document.getAgents().stream().map(agent -> agent.getId().equals("booker")
                ? AgentPolicy.newBuilder(agent).setCapabilities(Capabilities.newBuilder(agent.getCapabilities())
                        .setActions(List.of(actions)).build()).build()
                : agent).toList());
        return PolicyCodec.fromAvro(document).policy();
    }
}
