package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReplyKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kill switch holds, and only agents the policy lists act, also for an intent already out to the
 * resource ledger: an agent suspended, or dropped from the policy, while its intent waited for its
 * claims has that intent rejected when the answer comes (AGENT_SUSPENDED, UNKNOWN_AGENT), whatever the
 * answer, with its reservation released and what the ledger granted given back.
 */
class BarredWhileClaimingTest {

    private static final Instant T0 = ParkedClaims.T0;
    private static final Policy LISTING = ParkedClaims.policy("listing-1", false);

    /** How the next policy bars an agent, and what the rejection then says. */
    enum Bar {
        SUSPENDED(ReasonCode.AGENT_SUSPENDED, "suspended in policy barring-2", "not-suspended"),
        DROPPED(ReasonCode.UNKNOWN_AGENT, "dropped by policy barring-2", "agent-known");

        final ReasonCode code;
        final String phrase;
        final String check;

        Bar(ReasonCode code, String phrase, String check) {
            this.code = code;
            this.phrase = phrase;
            this.check = check;
        }

        /** The next policy: it bars {@code agentId} (suspending also bars the other of booker and pooled), never "other". */
        Policy barring(String agentId) {
            return this == SUSPENDED ? ParkedClaims.policy("barring-2", true) : ParkedClaims.policyWithout("barring-2", agentId);
        }
    }

    @TempDir File stateDir;
    private final CurrentPolicy policy = new CurrentPolicy(LISTING);
    private ParkedClaims parked;

    @BeforeEach
    void setUp() {
        parked = new ParkedClaims(stateDir, policy, new Suspensions(), Duration.ofMinutes(5), T0);
    }

    @ParameterizedTest
    @EnumSource(Bar.class)
    void aGrantedClaimOfAnAgentBarredMeanwhileIsRejectedAndGivenBack(Bar bar) {
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        assertThat(parked.reserved("booker", T0)).isEqualTo(2_000_000);
        policy.replace(bar.barring("booker"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(1));

        assertThat(parked.forwardedTo("execute-sink")).isEmpty();
        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(bar.code);
            assertThat(reason.getMessage()).isEqualTo("agent \"booker\" was " + bar.phrase + " while this intent waited for its claims");
        });
        AuditRecord caseFile = parked.caseFile();
        assertThat(caseFile.getChecks()).extracting(check -> check.getCheck() + " " + check.getStatus())
                .as("what the ledger answered, then the bar that overruled it, named as the gate names that check")
                .endsWith("resource-ledger PASS", bar.check + " FAIL");
        assertThat(parked.reserved("booker", T0, LISTING)).isZero();
        parked.assertReleasedOnly("resource:room-1");
    }

    @ParameterizedTest
    @EnumSource(Bar.class)
    void aConflictOfAnAgentBarredMeanwhileIsRejectedNotEscalated(Bar bar) {
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        policy.replace(bar.barring("booker"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "booker", List.of()), T0.plusSeconds(1));

        assertThat(parked.forwardedTo("escalate-sink")).isEmpty();
        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getReasons()).extracting(reason -> reason.getCode()).containsExactly(bar.code);
        assertThat(parked.reserved("booker", T0, LISTING)).isZero();
        assertThat(parked.forwardedTo("ledger-requests-sink")).as("nothing was granted, nothing to give back").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Bar.class)
    void aConflictOfAPooledAgentBarredMeanwhileGivesThePoolChargeBackToo(Bar bar) {
        parked.send(ParkedClaims.roomFor("i-1", "pooled", 2_000_000), T0);
        policy.replace(bar.barring("pooled"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "pooled", List.of("pool:shared")), T0.plusSeconds(1));

        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getReasons()).extracting(reason -> reason.getCode()).containsExactly(bar.code);
        AuditRecord caseFile = parked.caseFile();
        assertThat(caseFile.getChecks()).extracting(check -> check.getCheck() + " " + check.getStatus())
                .endsWith("resource-ledger ESCALATE", bar.check + " FAIL");
        assertThat(parked.reserved("pooled", T0, LISTING)).isZero();
        parked.assertReleasedOnly("pool:shared");
    }

    @ParameterizedTest
    @EnumSource(Bar.class)
    void aPoolRefusalOfAnAgentBarredMeanwhileIsRejectedAsBarred(Bar bar) {
        parked.send(ParkedClaims.roomFor("i-1", "pooled", 2_000_000), T0);
        policy.replace(bar.barring("pooled"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.POOL_EXCEEDED, "i-1", "pooled", List.of()), T0.plusSeconds(1));

        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getReasons()).extracting(reason -> reason.getCode()).containsExactly(bar.code);
        assertThat(parked.reserved("pooled", T0, LISTING)).isZero();
        assertThat(parked.forwardedTo("ledger-requests-sink")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Bar.class)
    void anotherAgentsBarLeavesAGrantedClaimExecuted(Bar bar) {
        parked.send(ParkedClaims.roomFor("i-1", "other", 2_000_000), T0);
        policy.replace(bar.barring("booker"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "other", List.of("resource:room-1")), T0.plusSeconds(1));

        assertThat(parked.forwardedTo("execute-sink")).singleElement()
                .satisfies(executed -> assertThat(((Decision) executed.record().value()).getOutcome()).isEqualTo(DecisionOutcome.EXECUTE));
        assertThat(parked.reserved("other", T0)).isEqualTo(2_000_000);
        assertThat(parked.forwardedTo("ledger-requests-sink")).isEmpty();
    }
}
