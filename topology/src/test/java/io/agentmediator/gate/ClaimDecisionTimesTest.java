package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.RulePolicy;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.schema.internal.LedgerReplyKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An intent whose claims were out to the resource ledger is decided when the ledger answers. Its decision keeps the
 * intent's time, which rules, deadlines, replays and the bench judge by; its case file's DECIDED step says when it was
 * made, the intent's arrival plus the time it was parked, so that answers sent meanwhile are known to come before it.
 */
class ClaimDecisionTimesTest {

    private static final Instant T0 = ParkedClaims.T0;

    @TempDir File stateDir;

    @Test
    void theDecisionKeepsTheIntentsTimeAndItsCaseFileSaysWhenItWasMade() {
        ParkedClaims parked = new ParkedClaims(stateDir, new CurrentPolicy(ParkedClaims.policy("times-1", false)), new Suspensions(),
                Duration.ofMinutes(5), T0);
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        parked.context.resetForwards();

        parked.context.setCurrentSystemTimeMs(T0.plusSeconds(2).toEpochMilli());
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0);

        Decision executed = parked.decisionTo("execute-sink");
        assertThat(executed.getDecidedAt()).isEqualTo(T0);
        assertThat(parked.forwardedTo("execute-sink").get(0).record().timestamp()).as("the record the bench times").isEqualTo(T0.toEpochMilli());
        AuditRecord caseFile = parked.caseFile();
        assertThat(decidedStep(caseFile).getAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(CaseFiles.madeAt(caseFile)).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void intentsTheirProducersStampedAreMadeAtTheirTime() {
        ParkedClaims parked = new ParkedClaims(stateDir, new CurrentPolicy(ParkedClaims.policy("times-2", false)), new Suspensions(),
                Duration.ofMinutes(5), T0.plus(Duration.ofDays(30)), false);
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        parked.context.setCurrentSystemTimeMs(T0.plus(Duration.ofDays(30)).plusSeconds(3).toEpochMilli());

        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "booker", List.of()), T0);

        assertThat(parked.decisionTo("escalate-sink").getDecidedAt()).isEqualTo(T0);
        assertThat(CaseFiles.madeAt(parked.caseFile())).as("a replay's times bear no relation to the wall clock").isEqualTo(T0);
    }

    @Test
    void theTimeParkedCountsAtMostTheClaimsTimeout() {
        ParkedClaims parked = new ParkedClaims(stateDir, new CurrentPolicy(ParkedClaims.policy("times-3", false)), new Suspensions(),
                Duration.ofMinutes(5), T0);
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        parked.context.setCurrentSystemTimeMs(T0.plus(Duration.ofHours(1)).toEpochMilli());

        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "booker", List.of()), T0);

        assertThat(CaseFiles.madeAt(parked.caseFile())).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void anEscalationIsJudgedAgainByItsPolicysTimeRulesAtTheIntentsTime() {
        ParkedClaims parked = new ParkedClaims(stateDir, new CurrentPolicy(withFreezeFrom("freeze-1", T0.plusSeconds(2))), new Suspensions(),
                Duration.ofMinutes(5), T0);
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        assertThat(parked.forwardedTo("reject-sink")).as("before the freeze").isEmpty();
        parked.context.resetForwards();
        parked.context.setCurrentSystemTimeMs(T0.plusSeconds(5).toEpochMilli());

        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "booker", List.of()), T0);

        assertThat(parked.decisionTo("escalate-sink").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(StillAllowed.ruleRejection(withFreezeFrom("freeze-2", T0.plusSeconds(2)), parked.caseFile()))
                .as("a later version of the same rule judges the intent at its time, as the gate did").isEmpty();
    }

    private static TimelineEntry decidedStep(AuditRecord caseFile) {
        return caseFile.getTimeline().stream().filter(step -> step.getEvent().equals("DECIDED")).reduce((first, second) -> second).orElseThrow();
    }

    private static Policy withFreezeFrom(String version, Instant from) {
        PolicyDocument document = PolicyCodec.toAvro(ParkedClaims.policy(version, false));
        document.setRules(List.of(RulePolicy.newBuilder().setId("room-freeze")
                .setWhen("intent.action == 'room.book' && now >= timestamp('" + from + "')").setEffect("REJECT").setTier(null)
                .setMode("ENFORCE").setMessage("rooms are frozen").build()));
        return PolicyCodec.fromAvro(document).policy();
    }
}
