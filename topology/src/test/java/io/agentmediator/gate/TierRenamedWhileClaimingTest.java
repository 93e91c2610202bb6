package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApproverPolicy;
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
 * A tier a policy published while an intent's claims were out no longer has is not lowered by a
 * conflict to one it has: the escalation keeps the tier the gate decided, which no approver of the new
 * policy may approve (ApproverEligibility), rather than one the lowest tier may.
 */
class TierRenamedWhileClaimingTest {

    private static final Instant T0 = ParkedClaims.T0;
    private static final Policy LISTING = ParkedClaims.policy("listing-1", false);

    @TempDir File stateDir;
    private final CurrentPolicy policy = new CurrentPolicy(LISTING);
    private ParkedClaims parked;

    @BeforeEach
    void setUp() {
        parked = new ParkedClaims(stateDir, policy, new Suspensions(), Duration.ofMinutes(5), T0);
    }

    @Test
    void aConflictKeepsTheTierTheGateEscalatedToWhenTheNewPolicyNoLongerHasIt() {
        AgentIntent crossDepartment = AgentIntent.newBuilder(ParkedClaims.roomFor("i-1", "booker", 2_000_000))
                .setDepartments(List.of("finance")).build();
        parked.send(crossDepartment, T0);
        PolicyDocument renamed = PolicyCodec.toAvro(LISTING);
        renamed.setVersion("renaming-2");
        renamed.setTiers(List.of("LEAD", "HEAD"));
        renamed.getDefaults().setCrossDepartmentTier("HEAD");
        renamed.getDefaults().setConflictTier("LEAD");
        renamed.setApprovers(List.of(new ApproverPolicy("manager", "HEAD", List.of(), null, List.of(), false)));
        policy.replace(PolicyCodec.fromAvro(renamed).policy());
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "booker", List.of()), T0.plusSeconds(1));

        Decision escalated = parked.decisionTo("escalate-sink");
        assertThat(escalated.getReasons()).extracting(reason -> reason.getCode())
                .containsExactly(ReasonCode.CROSS_DEPARTMENT, ReasonCode.RESOURCE_CONFLICT);
        assertThat(escalated.getTier()).as("not lowered to the new lowest tier, LEAD, which the conflict raises to")
                .isEqualTo("MANAGER");
    }
}
