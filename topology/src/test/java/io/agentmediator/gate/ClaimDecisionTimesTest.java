package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.cases.CaseKeeper;
import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.internal.CaseEvent;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
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

    /**
     * The ledger answers ten minutes after the intent arrived (a backlog there), past the claims timeout, which counts only
     * up to what the mediator has read: a manager's approval sent seven minutes in, while the claims were out, answers a
     * conflict nobody had seen yet (review of this session's commits).
     */
    @Test
    void anApprovalSentWhileTheClaimsWereOutLongerThanTheClaimsTimeoutIsNotApplied() {
        CurrentPolicy policy = new CurrentPolicy(ParkedClaims.policy("times-3", false));
        ParkedClaims parked = new ParkedClaims(stateDir, policy, new Suspensions(), Duration.ofMinutes(5), T0);
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        parked.readUpTo(T0.plusSeconds(1));
        parked.punctuate(T0.plus(Duration.ofMinutes(10)));
        assertThat(parked.forwardedTo("reject-sink")).as("not given up: the mediator has read no further").isEmpty();
        CaseKeeper keeper = keeper(parked, policy);
        parked.context.setCurrentSystemTimeMs(T0.plus(Duration.ofMinutes(10)).toEpochMilli());
        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "booker", List.of()), T0);
        assertThat(CaseFiles.madeAt(parked.caseFile())).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        parked.context.resetForwards();

        keeper.process(new Record<>("booker", new CaseEvent("i-1", new Approval("i-1", "manager", ApprovalDecision.APPROVE, null, null, null),
                null, "agent.approvals-0@0", null), T0.plus(Duration.ofMinutes(7)).toEpochMilli()));

        assertThat(parked.forwardedTo("execute-sink")).as("the conflict approved by an approval sent before anyone saw it").isEmpty();
        assertThat(lastCaseFile(parked).getStage()).isEqualTo(CaseStage.ESCALATE);
    }

    /**
     * Parked on one instance's clock and answered after the task moved to an instance whose clock is 30 s ahead: the time
     * parked is not known on one clock, so the decision counts as made at the intent's arrival, and the executor's report,
     * 800 ms after the decision could be seen, settles it (review of this session's commits).
     */
    @Test
    void anIntentParkedBeforeThisInstanceTookTheTaskIsMadeAtItsArrival() {
        CurrentPolicy policy = new CurrentPolicy(ParkedClaims.policy("times-4", false));
        ParkedClaims parked = new ParkedClaims(stateDir, policy, new Suspensions(), Duration.ofMinutes(5), T0);
        CaseKeeper keeper = keeper(parked, policy);
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        parked.context.setCurrentSystemTimeMs(T0.plusSeconds(30).plusMillis(200).toEpochMilli());
        parked.revive();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0);
        assertThat(CaseFiles.madeAt(parked.caseFile())).isEqualTo(T0);
        parked.context.resetForwards();
        keeper.process(new Record<>("booker", new CaseEvent("i-1", null,
                new Outcome("i-1", OutcomeStatus.COMPLETED, 1_500_000L, "executor-1", null, null, null), "agent.outcomes-0@0", null),
                T0.plusSeconds(1).toEpochMilli()));

        assertThat(lastCaseFile(parked).getStage()).as("settled by the executor's report").isEqualTo(CaseStage.COMPLETED);
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

    private static CaseKeeper keeper(ParkedClaims parked, CurrentPolicy policy) {
        CaseKeeper keeper = new CaseKeeper(policy, new Suspensions(), UnaryOperator.identity(), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Map.of(DecisionOutcome.EXECUTE, "execute-sink", DecisionOutcome.ESCALATE, "escalate-sink",
                DecisionOutcome.REJECT, "reject-sink"), "audit-sink", "ledger-requests-sink", "case-owners-sink", Duration.ofDays(30),
                Duration.ofDays(7), true, new ReadHorizon());
        keeper.init(parked.context);
        return keeper;
    }

    private static AuditRecord lastCaseFile(ParkedClaims parked) {
        List<CapturedForward<? extends Object, ? extends Object>> filed = parked.forwardedTo("audit-sink");
        return ((CaseFileValue) filed.get(filed.size() - 1).record().value()).caseFile();
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
