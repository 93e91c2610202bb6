package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApproverPolicy;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReplyKind;
import io.agentmediator.schema.internal.LedgerRequest;
import io.agentmediator.schema.internal.LedgerRequestKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new policy while an intent's claims are out. Only agents the policy lists may act: one whose
 * agent the new policy no longer lists is rejected UNKNOWN_AGENT when the answer comes, as the gate
 * would reject it now, with its reservation released and what the ledger granted given back. A tier
 * the new policy no longer has is not lowered by a conflict to one it has.
 */
class PolicyChangedWhileClaimingTest {

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
    void aGrantedClaimOfAnAgentDroppedMeanwhileIsRejectedAndGivenBack() {
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        assertThat(parked.reserved("booker", T0)).isEqualTo(2_000_000);
        policy.replace(ParkedClaims.policyWithout("dropping-2", "booker"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(1));

        assertThat(parked.forwardedTo("execute-sink")).isEmpty();
        Decision rejected = (Decision) parked.forwardedTo("reject-sink").get(0).record().value();
        assertThat(rejected.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.UNKNOWN_AGENT);
            assertThat(reason.getMessage()).isEqualTo("agent \"booker\" was dropped by policy dropping-2 while this intent waited for its claims");
        });
        AuditRecord caseFile = ((CaseFileValue) parked.forwardedTo("audit-sink").get(0).record().value()).caseFile();
        assertThat(caseFile.getChecks()).extracting(check -> check.getCheck() + " " + check.getStatus())
                .as("what the ledger answered, then the policy that overruled it, as the gate names that check")
                .endsWith("resource-ledger PASS", "agent-known FAIL");
        assertThat(parked.reserved("booker", T0, LISTING)).isZero();
        assertThat(parked.forwardedTo("ledger-requests-sink")).singleElement().satisfies(release -> {
            assertThat(release.record().key()).isEqualTo("resource:room-1");
            assertThat(((LedgerRequest) release.record().value()).getKind()).isEqualTo(LedgerRequestKind.RELEASE);
        });
    }

    @Test
    void aConflictOfAnAgentDroppedMeanwhileIsRejectedNotEscalated() {
        parked.send(ParkedClaims.roomFor("i-1", "pooled", 2_000_000), T0);
        policy.replace(ParkedClaims.policyWithout("dropping-2", "pooled"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "pooled", List.of("pool:shared")), T0.plusSeconds(1));

        assertThat(parked.forwardedTo("escalate-sink")).isEmpty();
        Decision rejected = (Decision) parked.forwardedTo("reject-sink").get(0).record().value();
        assertThat(rejected.getReasons()).extracting(reason -> reason.getCode()).containsExactly(ReasonCode.UNKNOWN_AGENT);
        assertThat(parked.reserved("pooled", T0, LISTING)).isZero();
        assertThat(parked.forwardedTo("ledger-requests-sink")).extracting(release -> (Object) release.record().key())
                .containsExactly("pool:shared");
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

        Decision escalated = (Decision) parked.forwardedTo("escalate-sink").get(0).record().value();
        assertThat(escalated.getReasons()).extracting(reason -> reason.getCode())
                .containsExactly(ReasonCode.CROSS_DEPARTMENT, ReasonCode.RESOURCE_CONFLICT);
        assertThat(escalated.getTier()).as("not lowered to the new lowest tier, LEAD, which the conflict raises to")
                .isEqualTo("MANAGER");
    }

    @Test
    void anotherAgentDroppedLeavesAGrantedClaimExecuted() {
        parked.send(ParkedClaims.roomFor("i-1", "other", 2_000_000), T0);
        policy.replace(ParkedClaims.policyWithout("dropping-2", "booker"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "other", List.of("resource:room-1")), T0.plusSeconds(1));

        assertThat(parked.forwardedTo("execute-sink")).singleElement()
                .satisfies(executed -> assertThat(((Decision) executed.record().value()).getOutcome()).isEqualTo(DecisionOutcome.EXECUTE));
        assertThat(parked.reserved("other", T0)).isEqualTo(2_000_000);
        assertThat(parked.forwardedTo("ledger-requests-sink")).isEmpty();
    }
}
