package io.agentmediator.cases;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.audit.Timeline;

import io.agentmediator.keys.StoreKeys;
import io.agentmediator.partition.CaseStores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.agentmediator.budget.WindowUsage;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.partition.GateStores;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.ApproverPolicy;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.StoredBudgets;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Approvals, deadlines, outcomes and the kill switch through the real topology. */
class HumanLoopTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "loop-1"
            defaults: { escalationTimeout: PT4H, crossDepartmentTier: BOARD }
            tiers: [MANAGER, BOARD]
            agents:
              - id: buyer
                department: procurement
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
                budgets: [ { window: DAY, limitMicros: 10000000 } ]
            # each signs with its test key: SignedApprovalsTest is about who may send what, this test about what it does
            approvers:
              - { id: proc-manager, tier: MANAGER, departments: [procurement], publicKey: "%s" }
              - { id: fin-manager, tier: MANAGER, departments: [finance], publicKey: "%s" }
              - { id: board, tier: BOARD, publicKey: "%s" }
            executors:
              - { id: executor-1, agents: [buyer], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("proc-manager"), TestKeys.publicKey("fin-manager"), TestKeys.publicKey("board"),
                    TestKeys.publicKey("executor-1"));

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("loop"));
    private final Policy policy = PolicyParser.parse("loop.yaml", POLICY).policy();
    private final TopologyTestDriver driver = new TopologyTestDriver(
            MediatorTopology.build(TopologyParts.of(MediatorConfig.defaults(), topics, new CurrentPolicy(policy), new HealthState(),
                    UnaryOperator.identity())),
            TestDrivers.streamsSettings(), T0);
    private final TestInputTopic<byte[], byte[]> intents = input(topics.intents().name());
    private final TestInputTopic<byte[], byte[]> approvals = input(topics.approvals().name());
    private final TestInputTopic<byte[], byte[]> outcomes = input(topics.outcomes().name());

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldExecuteAnEscalationApprovedByAnEligibleApproverAndKeepItsReservation() {
        send(overAuthority("i-1", 2_000_000), T0);

        approve("i-1", "proc-manager", ApprovalDecision.APPROVE, "quote checked", T0.plusSeconds(60));

        List<Decision> decisions = decisions();
        assertThat(decisions).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE, DecisionOutcome.EXECUTE);
        Decision approved = decisions.get(1);
        assertThat(approved.getDecidedBy()).isEqualTo("proc-manager");
        assertThat(approved.getReasons().get(0).getCode()).isEqualTo(ReasonCode.APPROVED);
        assertThat(approved.getReasons().get(0).getMessage()).contains("quote checked");
        AuditRecord caseFile = caseFiles().get("i-1");
        assertThat(caseFile.getStage()).isEqualTo(CaseStage.EXECUTE);
        assertThat(events(caseFile)).containsExactly("RECEIVED", "DECIDED", "APPROVAL", "DECIDED");
        assertThat(reserved()).isEqualTo(2_000_000);
        assertThat(openEscalation("i-1")).isNull();
    }

    @Test
    void shouldApplyAnAnswerThatNamesItsAgentAndRefuseOneThatNamesAnother() {
        send(overAuthority("i-50", 2_000_000), T0);
        send(overAuthority("i-51", 1_000_000).setCommitmentMicros(0), T0.plusSeconds(1));

        approve(new Approval("i-50", "proc-manager", ApprovalDecision.APPROVE, null, "someone-else", null), T0.plusSeconds(60));
        report(new Outcome("i-51", OutcomeStatus.COMPLETED, 100L, "executor-1", null, "someone-else", null), T0.plusSeconds(61));
        approve(new Approval("i-50", "proc-manager", ApprovalDecision.APPROVE, "named", "buyer", null), T0.plusSeconds(62));
        report(new Outcome("i-51", OutcomeStatus.COMPLETED, 700_000L, "executor-1", null, "buyer", null), T0.plusSeconds(63));

        assertThat(decisions()).extracting(d -> d.getIntentId() + " " + d.getOutcome())
                .containsExactly("i-50 ESCALATE", "i-51 EXECUTE", "i-50 EXECUTE");
        Map<String, AuditRecord> caseFiles = caseFiles();
        assertThat(caseFiles.get("i-50").getTimeline()).filteredOn(entry -> entry.getDetail().contains("ANOTHER_AGENTS_CASE")).singleElement()
                .satisfies(entry -> assertThat(entry.getDetail()).contains("names agent someone-else", "agent buyer's"));
        assertThat(events(caseFiles.get("i-51"))).containsExactly("RECEIVED", "DECIDED", "OUTCOME", "OUTCOME", "SETTLED");
        assertThat(day().spentMicros()).isEqualTo(700_000);
    }

    @Test
    void shouldIgnoreAnApproverBelowTheEscalationsTierAndSayWhy() {
        send(crossDepartment("i-2"), T0);

        approve("i-2", "proc-manager", ApprovalDecision.APPROVE, null, T0.plusSeconds(60));

        assertThat(decisions()).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE);
        AuditRecord caseFile = caseFiles().get("i-2");
        assertThat(caseFile.getStage()).isEqualTo(CaseStage.ESCALATE);
        assertThat(last(caseFile).getDetail()).contains("answers up to MANAGER; this escalation needs BOARD", "stays open");
        assertThat(openEscalation("i-2")).isNotNull();
    }

    @Test
    void shouldIgnoreAnApproverOfAnotherDepartment() {
        send(overAuthority("i-3", 1_000), T0);

        approve("i-3", "fin-manager", ApprovalDecision.APPROVE, null, T0.plusSeconds(60));

        assertThat(decisions()).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE);
        assertThat(last(caseFiles().get("i-3")).getDetail()).contains("answers for [finance], not for procurement");
    }

    @Test
    void shouldIgnoreAnApproverThePolicyDoesNotList() {
        send(overAuthority("i-4", 1_000), T0);

        approve("i-4", "mallory", ApprovalDecision.APPROVE, null, T0.plusSeconds(60));

        assertThat(decisions()).hasSize(1);
        assertThat(last(caseFiles().get("i-4")).getDetail()).contains("the policy registers no key for mallory", "changes nothing");
    }

    @Test
    void shouldRejectADeniedEscalationAndReleaseItsReservation() {
        send(overAuthority("i-5", 3_000_000), T0);

        approve("i-5", "board", ApprovalDecision.DENY, "not this quarter", T0.plusSeconds(60));

        Decision denied = decisions().get(1);
        assertThat(denied.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(denied.getReasons().get(0).getCode()).isEqualTo(ReasonCode.DENIED);
        assertThat(reserved()).isZero();
        assertThat(events(caseFiles().get("i-5"))).endsWith("APPROVAL", "DECIDED", "RELEASED");
    }

    /**
     * The broker makes a transaction visible partition by partition, so an approver who answers at once
     * can have the answer read before the intent's owner record, which the same transaction wrote:
     * the answer must wait for the owner, not be recorded as matching no case.
     */
    @Test
    void shouldApplyAnAnswerReadBeforeItsIntentsOwner() {
        // Read before the owner record its decision writes, though written after the decision: the race OwnerWaits is for
        approve("i-12", "board", ApprovalDecision.DENY, "too late", T0.plusSeconds(3));
        assertThat(caseFiles()).as("nothing recorded while it waits").isEmpty();

        send(overAuthority("i-12", 3_000_000), T0.plusSeconds(2));

        assertThat(decisions()).extracting(Decision::getOutcome, d -> d.getReasons().get(0).getCode())
                .containsExactlyInAnyOrder(tuple(DecisionOutcome.ESCALATE, ReasonCode.OVER_AUTHORITY), tuple(DecisionOutcome.REJECT, ReasonCode.DENIED));
        assertThat(reserved()).isZero();
        assertThat(events(caseFiles().get("i-12"))).endsWith("APPROVAL", "DECIDED", "RELEASED");
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(caseFiles().keySet()).as("nothing left waiting to expire").noneMatch(key -> key.contains("#approval@"));
    }

    /**
     * Records a producer sends together share the broker's append time: answers that wait for their owner must still be
     * applied in the order they were read (offset 9 before offset 10), or a denial sent after an approval decides.
     */
    @Test
    void shouldApplyAnswersThatWaitedForTheirOwnerInTheOrderTheyArrivedThoughTheyShareAMillisecond() {
        for (int i = 0; i < 9; i++) {
            approve("ghost-" + i, "board", ApprovalDecision.DENY, null, T0);
        }
        approve("i-13", "board", ApprovalDecision.APPROVE, null, T0.plusSeconds(3));
        approve("i-13", "board", ApprovalDecision.DENY, "changed my mind", T0.plusSeconds(3));

        send(overAuthority("i-13", 3_000_000), T0.plusSeconds(2));

        assertThat(decisions()).extracting(Decision::getOutcome).containsExactlyInAnyOrder(DecisionOutcome.ESCALATE, DecisionOutcome.EXECUTE);
        assertThat(reserved()).isEqualTo(3_000_000);
        assertThat(events(caseFiles().get("i-13"))).containsSubsequence("APPROVAL", "DECIDED", "APPROVAL");
    }

    @Test
    void shouldApplyAnAnswerAnEarlierVersionKeptWaitingBeforeOneOfTheSameMillisecondReadAfterTheUpgrade() {
        // Given an approval an earlier version kept waiting, keyed by its time and source alone
        long at = T0.plusSeconds(3).toEpochMilli();
        Approval approval = new Approval("i-14", "board", ApprovalDecision.APPROVE, null, null, null);
        driver.<String, CaseEvent>getKeyValueStore(CaseStores.ANSWERS_AWAITING_OWNER).put(
                StoreKeys.scoped("i-14", String.format("%013d", at) + "|agent.approvals-0@0"),
                new CaseEvent("i-14", approval, null, "agent.approvals-0@0", null));

        // When a denial of the same millisecond is read after the upgrade, then the intent escalates
        approve("i-14", "board", ApprovalDecision.DENY, "changed my mind", T0.plusSeconds(3));
        send(overAuthority("i-14", 3_000_000), T0.plusSeconds(2));

        // Then the approval, read first, decides
        assertThat(decisions()).extracting(Decision::getOutcome).containsExactlyInAnyOrder(DecisionOutcome.ESCALATE, DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRecordALateApprovalAndChangeNothing() {
        send(overAuthority("i-6", 1_000), T0);
        approve("i-6", "board", ApprovalDecision.DENY, null, T0.plusSeconds(60));
        decisions();
        AuditRecord denied = caseFiles().get("i-6");

        approve("i-6", "board", ApprovalDecision.APPROVE, null, T0.plusSeconds(120));
        assertThat(caseFiles()).as("recorded only once it has waited case.owner.wait for an owner").isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(40));

        assertThat(decisions()).isEmpty();
        assertThat(caseFiles().entrySet()).singleElement().satisfies(e -> {
            assertThat(e.getKey()).startsWith("i-6#approval@agent.approvals-");
            assertThat(e.getValue().getChecks().get(0).getDetail()).contains("has no open case here");
        });
        assertThat(driver.<String, String>getKeyValueStore(CaseStores.INTENT_OWNERS).get("i-6")).as("a closed case's owner").isNull();
        assertThat(denied.getStage()).isEqualTo(CaseStage.REJECT);
    }

    @Test
    void shouldRecordAnApprovalForAnIntentNobodyDecidedUnderAKeyOfItsOwn() {
        approve("ghost", "board", ApprovalDecision.APPROVE, null, T0);
        driver.advanceWallClockTime(Duration.ofSeconds(40));

        assertThat(caseFiles().keySet()).singleElement().asString().startsWith("ghost#approval@");
        assertThat(decisions()).isEmpty();
    }

    @Test
    void shouldExpireAnUnansweredEscalationWithNoTrafficAndFreeItsBudgetForTheNextIntent() {
        send(overAuthority("i-7", 9_000_000), T0);
        send(overAuthority("i-8", 2_000_000).setCommitmentMicros(0).build(), T0.plusSeconds(1));

        driver.advanceWallClockTime(Duration.ofHours(4));
        send(overAuthority("i-9", 2_000_000).setCommitmentMicros(0).build(), T0.plus(Duration.ofHours(4)).plusSeconds(1));

        List<Decision> decisions = decisions();
        assertThat(decisions).extracting(d -> d.getIntentId() + " " + d.getOutcome() + " " + d.getReasons().stream().map(r -> r.getCode().name()).toList())
                .containsExactly(
                        "i-7 ESCALATE [OVER_AUTHORITY]",
                        "i-8 REJECT [BUDGET_EXCEEDED]",
                        "i-7 REJECT [ESCALATION_EXPIRED]",
                        "i-9 EXECUTE []");
        assertThat(events(caseFiles().get("i-7"))).endsWith("DECIDED", "RELEASED");
    }

    @Test
    void shouldNotApplyAnApprovalThatArrivesAtTheDeadlineThoughNoCheckHasClosedTheEscalationYet() {
        send(overAuthority("i-30", 2_000_000), T0);

        // The wall clock stays at T0, as if the mediator had been down: no check has run since the deadline passed
        approve("i-30", "proc-manager", ApprovalDecision.APPROVE, null, T0.plus(Duration.ofHours(4)));

        assertThat(decisions()).extracting(d -> d.getOutcome() + " " + d.getReasons().get(0).getCode())
                .containsExactly("ESCALATE OVER_AUTHORITY", "REJECT ESCALATION_EXPIRED");
        AuditRecord caseFile = caseFiles().get("i-30");
        assertThat(events(caseFile)).endsWith("APPROVAL", "DECIDED", "RELEASED");
        assertThat(caseFile.getTimeline()).filteredOn(entry -> entry.getEvent().equals("APPROVAL")).singleElement()
                .satisfies(entry -> assertThat(entry.getDetail()).contains("APPROVE not applied", "not before the deadline"));
        assertThat(reserved()).isZero();
        assertThat(openEscalation("i-30")).isNull();
    }

    @Test
    void shouldEndAnEscalationsDeadlineWhenItsIntentExpires() {
        send(overAuthority("i-31", 2_000_000).setExpiresAt(T0.plus(Duration.ofHours(1))), T0);
        send(overAuthority("i-32", 2_000_000).setExpiresAt(T0.plus(Duration.ofHours(1))), T0.plusSeconds(1));

        approve("i-31", "proc-manager", ApprovalDecision.APPROVE, null, T0.plus(Duration.ofMinutes(59)));
        approve("i-32", "proc-manager", ApprovalDecision.APPROVE, null, T0.plus(Duration.ofHours(2)));

        List<Decision> decisions = decisions();
        assertThat(decisions).extracting(d -> d.getIntentId() + " " + d.getOutcome() + " " + d.getReasons().get(0).getCode())
                .containsExactly("i-31 ESCALATE OVER_AUTHORITY", "i-32 ESCALATE OVER_AUTHORITY", "i-31 EXECUTE APPROVED",
                        "i-32 REJECT ESCALATION_EXPIRED");
        assertThat(decisions.get(1).getDeadline()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(decisions.get(3).getReasons().get(0).getMessage()).endsWith("when the intent itself expires");
    }

    @Test
    void shouldExpireByTheDeadlineIndexAloneOnceEveryOpenEscalationWasReadAfterTheStart() {
        send(overAuthority("i-20", 1_000_000).setCommitmentMicros(5_000), T0);
        send(overAuthority("i-21", 1_000_000).setCommitmentMicros(5_000), T0.plusSeconds(1));
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(decisions()).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE, DecisionOutcome.ESCALATE);

        // i-21 drops out of the deadline index: from now on no check reads it, so it outlives its deadline.
        unindex("i-21");
        driver.advanceWallClockTime(Duration.ofHours(4));

        assertThat(decisions()).extracting(d -> d.getIntentId() + " " + d.getReasons().get(0).getCode())
                .containsExactly("i-20 ESCALATION_EXPIRED");
        assertThat(openEscalation("i-20")).isNull();
        assertThat(openEscalation("i-21")).isNotNull();
        assertThat(deadlineIndex()).isEmpty();
    }

    @Test
    void shouldExpireAnEscalationMissingFromTheDeadlineIndexAtTheFirstCheckAfterAStart() {
        // As one opened by a version without the index: the first check reads every open escalation.
        send(overAuthority("i-22", 1_000_000).setCommitmentMicros(5_000), T0);
        unindex("i-22");

        driver.advanceWallClockTime(Duration.ofHours(4));

        assertThat(decisions()).extracting(d -> d.getIntentId() + " " + d.getOutcome())
                .containsExactly("i-22 ESCALATE", "i-22 REJECT");
        assertThat(openEscalation("i-22")).isNull();
    }

    @Test
    void shouldIndexAtTheFirstCheckAnOpenEscalationMissingFromTheDeadlineIndex() {
        send(overAuthority("i-23", 1_000_000).setCommitmentMicros(5_000), T0);
        unindex("i-23");

        driver.advanceWallClockTime(Duration.ofSeconds(10));

        assertThat(deadlineIndex()).singleElement().asString().endsWith("i-23");
        driver.advanceWallClockTime(Duration.ofHours(4));
        assertThat(openEscalation("i-23")).isNull();
    }

    @Test
    void shouldReplaceTheReservationWithTheActualCostAboveOrBelowTheEstimate() {
        send(overAuthority("i-10", 1_000_000).setCommitmentMicros(0).build(), T0);
        send(overAuthority("i-11", 1_000_000).setCommitmentMicros(0).build(), T0.plusSeconds(1));

        report("i-10", OutcomeStatus.COMPLETED, 1_500_000L, T0.plusSeconds(10));
        report("i-11", OutcomeStatus.COMPLETED, 400_000L, T0.plusSeconds(11));

        WindowUsage day = day();
        assertThat(day.spentMicros()).isEqualTo(1_900_000);
        assertThat(day.reservedMicros()).isZero();
        AuditRecord caseFile = caseFiles().get("i-10");
        assertThat(caseFile.getStage()).isEqualTo(CaseStage.COMPLETED);
        assertThat(caseFile.getOutcome().getActualCostMicros()).isEqualTo(1_500_000L);
        assertThat(last(caseFile).getDetail()).contains("actual cost 1.50 replaces the estimate of 1.00");
    }

    @Test
    void shouldKeepTheEstimateOnCompletionWithoutACostAndReleaseItOnFailure() {
        send(overAuthority("i-12", 1_000_000).setCommitmentMicros(0).build(), T0);
        send(overAuthority("i-13", 2_000_000).setCommitmentMicros(0).build(), T0.plusSeconds(1));

        report("i-12", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));
        report("i-13", OutcomeStatus.FAILED, null, T0.plusSeconds(11));

        assertThat(day().spentMicros()).isEqualTo(1_000_000);
        assertThat(day().reservedMicros()).isZero();
        assertThat(caseFiles().get("i-13").getStage()).isEqualTo(CaseStage.FAILED);
    }

    @Test
    void shouldNoteARepeatedOutcomeAndKeepTheFiguresOfTheFirst() {
        send(overAuthority("i-41", 1_000_000).setCommitmentMicros(0).build(), T0);

        report("i-41", OutcomeStatus.COMPLETED, 700_000L, T0.plusSeconds(10));
        report("i-41", OutcomeStatus.COMPLETED, 5_000_000L, T0.plusSeconds(11));

        assertThat(day().spentMicros()).isEqualTo(700_000);
        AuditRecord caseFile = caseFiles().get("i-41");
        assertThat(caseFile.getOutcome().getActualCostMicros()).isEqualTo(700_000L);
        assertThat(last(caseFile).getDetail()).contains("COMPLETED again", "changes nothing");
        assertThat(events(caseFile)).containsExactly("RECEIVED", "DECIDED", "OUTCOME", "SETTLED", "OUTCOME");
    }

    @Test
    void shouldQuoteAnApproversCommentOfSixtyFiveThousandInvisibleCharactersCutInTheDecision() {
        send(overAuthority("i-43", 1_000_000), T0);

        approve("i-43", "proc-manager", ApprovalDecision.APPROVE, "\u200b".repeat(65_000), T0.plusSeconds(60));

        Decision approved = decisions().get(1);
        assertThat(approved.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(approved.getReasons()).singleElement().satisfies(reason -> assertThat(reason.getMessage())
                .startsWith("approved by proc-manager: \\u200b").endsWith(" chars]").hasSizeLessThan(2_100));
    }

    @Test
    void shouldKeepACaseFileFarBelowTheRecordLimitWhateverIsSentAboutIt() {
        send(overAuthority("i-42", 1_000_000), T0);
        for (int i = 0; i < 200; i++) {
            approve("i-42", "mallory", ApprovalDecision.APPROVE, "let me in " + i, T0.plusSeconds(1 + i));
        }
        approve("i-42", "proc-manager", ApprovalDecision.APPROVE, null, T0.plusSeconds(300));
        String noise = "\u0001".repeat(60_000);
        reportWithDetail("i-42", OutcomeStatus.COMPLETED, noise, T0.plusSeconds(301));
        reportWithDetail("i-42", OutcomeStatus.COMPLETED, noise, T0.plusSeconds(302));

        assertThat(decisions()).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE, DecisionOutcome.EXECUTE);
        AuditRecord caseFile = caseFiles().get("i-42");
        assertThat(caseFile.getTimeline()).hasSizeLessThan(CaseFiles.NOTED_UP_TO + 10);
        assertThat(caseFile.getTimeline()).filteredOn(entry -> entry.getEvent().equals(CaseFiles.NOT_KEPT)).hasSize(2)
                .first().satisfies(entry -> assertThat(entry.getDetail()).contains("by mallory", "agent.approvals-0@199)"));
        assertThat(caseFile.getTimeline()).allSatisfy(entry -> assertThat(entry.getDetail()).hasSizeLessThan(Timeline.DETAIL_MAX_CHARS + 100));
        assertThat(topics.audit().valueSerde().serializer().serialize(topics.audit().name(), caseFile)).hasSizeLessThan(200_000);
    }

    @Test
    void shouldRecordAnOutcomeForAnIntentThatWasNeverExecutedAndChangeNothing() {
        send(overAuthority("i-14", 1_000_000), T0);

        report("i-14", OutcomeStatus.COMPLETED, 5_000_000L, T0.plusSeconds(10));

        assertThat(day().reservedMicros()).isEqualTo(1_000_000);
        assertThat(day().spentMicros()).isZero();
        AuditRecord caseFile = caseFiles().get("i-14");
        assertThat(caseFile.getStage()).isEqualTo(CaseStage.ESCALATE);
        assertThat(last(caseFile).getDetail()).contains("never executed");
    }

    @Test
    void shouldRejectTheOpenEscalationsOfAnAgentTheNextPolicySuspends() {
        send(overAuthority("i-15", 1_000_000), T0);

        publishPolicySuspendingEveryAgent(T0.plusSeconds(5));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        Decision rejected = decisions().get(1);
        assertThat(rejected.getReasons().get(0).getCode()).isEqualTo(ReasonCode.AGENT_SUSPENDED);
        assertThat(rejected.getPolicyVersion()).isEqualTo("loop-2");
        assertThat(day().reservedMicros()).isZero();
    }

    @Test
    void shouldRejectTheOpenEscalationsOfAnAgentSuspendedAfterTheFirstCheck() {
        send(overAuthority("i-24", 1_000_000), T0);
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        publishPolicySuspendingEveryAgent(T0.plusSeconds(15));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        assertThat(decisions()).extracting(d -> d.getIntentId() + " " + d.getReasons().get(0).getCode())
                .containsExactly("i-24 OVER_AUTHORITY", "i-24 AGENT_SUSPENDED");
        assertThat(openEscalation("i-24")).isNull();
    }

    @Test
    void shouldRejectTheEscalationOfASuspendedAgentThatAnApprovalReachesBeforeTheNextCheck() {
        send(overAuthority("i-26", 1_000_000), T0);
        publishPolicySuspendingEveryAgent(T0.plusSeconds(1));

        approve("i-26", "proc-manager", ApprovalDecision.APPROVE, "looks fine", T0.plusSeconds(2));

        assertThat(decisions()).extracting(d -> d.getOutcome() + " " + d.getReasons().get(0).getCode())
                .containsExactly("ESCALATE OVER_AUTHORITY", "REJECT AGENT_SUSPENDED");
        assertThat(openEscalation("i-26")).isNull();
        assertThat(reserved()).isZero();
        AuditRecord caseFile = caseFiles().get("i-26");
        assertThat(caseFile.getStage()).isEqualTo(CaseStage.REJECT);
        assertThat(events(caseFile)).containsExactly("RECEIVED", "DECIDED", "APPROVAL", "DECIDED", "RELEASED");
        assertThat(caseFile.getTimeline().get(2).getDetail()).contains("APPROVE not applied: the agent was suspended in policy loop-2");
    }

    @Test
    void shouldLetNobodyApproveAnEscalationAtATierTheNextPolicyNoLongerHasButAnyApproverDenyIt() {
        send(crossDepartment("i-29"), T0);
        assertThat(decisions()).singleElement().satisfies(escalated -> assertThat(escalated.getTier()).isEqualTo("BOARD"));
        publishPolicyWithTiersRenamed(T0.plusSeconds(1));

        approve("i-29", "proc-manager", ApprovalDecision.APPROVE, "MANAGER is the lowest tier still", T0.plusSeconds(2));
        approve("i-29", "board", ApprovalDecision.APPROVE, "EXEC is the old BOARD", T0.plusSeconds(3));

        assertThat(decisions()).isEmpty();
        assertThat(openEscalation("i-29")).isNotNull();
        assertThat(caseFiles().get("i-29").getTimeline()).extracting(TimelineEntry::getDetail)
                .filteredOn(detail -> detail.contains("no approver may approve it")).hasSize(2)
                .allSatisfy(detail -> assertThat(detail).contains("needs BOARD, a tier policy loop-2 no longer has"));

        approve("i-29", "proc-manager", ApprovalDecision.DENY, "not under this policy", T0.plusSeconds(4));
        assertThat(decisions()).extracting(d -> d.getOutcome() + " " + d.getReasons().get(0).getCode()).containsExactly("REJECT DENIED");
        assertThat(reserved()).isZero();
    }

    @Test
    void shouldRejectTheOpenEscalationsOfAnAgentTheNextPolicyNoLongerLists() {
        send(overAuthority("i-27", 1_000_000), T0);
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        publishPolicyWithoutTheBuyer(T0.plusSeconds(15));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        List<Decision> decided = decisions();
        assertThat(decided).extracting(d -> d.getIntentId() + " " + d.getOutcome() + " " + d.getReasons().get(0).getCode())
                .containsExactly("i-27 ESCALATE OVER_AUTHORITY", "i-27 REJECT UNKNOWN_AGENT");
        assertThat(decided.get(1).getReasons().get(0).getMessage())
                .isEqualTo("agent \"buyer\" was dropped by policy loop-2 while this escalation was open");
        assertThat(openEscalation("i-27")).isNull();
        assertThat(reserved()).isZero();
    }

    @Test
    void shouldNotExecuteAnApprovedEscalationOfAnAgentThePolicyNoLongerLists() {
        send(overAuthority("i-28", 1_000_000), T0);
        publishPolicyWithoutTheBuyer(T0.plusSeconds(1));

        approve("i-28", "board", ApprovalDecision.APPROVE, "fine by me", T0.plusSeconds(2));

        assertThat(decisions()).extracting(d -> d.getOutcome() + " " + d.getReasons().get(0).getCode())
                .containsExactly("ESCALATE OVER_AUTHORITY", "REJECT UNKNOWN_AGENT");
        assertThat(reserved()).isZero();
        AuditRecord caseFile = caseFiles().get("i-28");
        assertThat(caseFile.getStage()).isEqualTo(CaseStage.REJECT);
        assertThat(caseFile.getTimeline().get(2).getDetail()).contains("APPROVE not applied: the agent was dropped by policy loop-2");
    }

    @Test
    void shouldReadEveryOpenEscalationOnceAfterASuspensionAndThenOnlyTheDeadlineIndex() {
        send(overAuthority("i-25", 1_000_000), T0);
        PolicyDocument current = PolicyCodec.toAvro(policy);
        List<AgentPolicy> agents = new ArrayList<>(current.getAgents());
        agents.add(AgentPolicy.newBuilder(current.getAgents().get(0)).setId("retired").setSuspended(true).build());
        publishPolicy(PolicyDocument.newBuilder(current).setVersion("loop-2").setAgents(agents).build(), T0.plusSeconds(1));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        // "retired" stays suspended, but after the check that read every open escalation for it no new escalation of
        // it can open, so the checks read only the deadline index, which i-25 drops out of.
        unindex("i-25");
        driver.advanceWallClockTime(Duration.ofHours(4));

        assertThat(decisions()).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE);
        assertThat(openEscalation("i-25")).isNotNull();
    }

    @Test
    void shouldDeadLetterAnApprovalNobodyCanRead() {
        approvals.pipeInput(new TestRecord<>(bytes("i-16"), bytes("{\"approve\":true}"), T0));

        TestOutputTopic<byte[], byte[]> dlq = output(topics.intentsDlq());
        assertThat(dlq.readRecordsToList()).singleElement().satisfies(r ->
                assertThat(new String(r.headers().lastHeader("mediator.source.topic").value(), StandardCharsets.UTF_8))
                        .isEqualTo(topics.approvals().name()));
    }

    private AgentIntent.Builder overAuthority(String intentId, long cost) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("buyer").setAction("purchase-order.create")
                .setTarget("erp").setCostMicros(cost).setCommitmentMicros(5_000).setConfidence(0.9);
    }

    private AgentIntent crossDepartment(String intentId) {
        return overAuthority(intentId, 1_000).setCommitmentMicros(0).setDepartments(List.of("finance")).build();
    }

    private void send(AgentIntent.Builder intent, Instant at) {
        send(intent.build(), at);
    }

    private void send(AgentIntent intent, Instant at) {
        intents.pipeInput(new TestRecord<>(bytes(intent.getAgentId()),
                topics.intentSerde().serializer().serialize(topics.intents().name(), intent), at));
    }

    /** An approval signed with the approver's test key, registered in the policy or not. */
    private void approve(Approval approval, Instant at) {
        byte[] value = topics.approvalSerde().serializer().serialize(topics.approvals().name(), approval);
        approvals.pipeInput(new TestRecord<>(bytes(approval.getIntentId()), value, TestKeys.signedBy(approval.getApproverId(), value), at));
    }

    private void report(Outcome outcome, Instant at) {
        byte[] value = topics.outcomeSerde().serializer().serialize(topics.outcomes().name(), outcome);
        outcomes.pipeInput(new TestRecord<>(bytes(outcome.getIntentId()), value, TestKeys.signedBy(outcome.getReportedBy(), value), at));
    }

    private void approve(String intentId, String approverId, ApprovalDecision decision, String comment, Instant at) {
        byte[] value = topics.approvalSerde().serializer()
                .serialize(topics.approvals().name(), new Approval(intentId, approverId, decision, comment, null, null));
        approvals.pipeInput(new TestRecord<>(bytes(intentId), value, TestKeys.signedBy(approverId, value), at));
    }

    private void report(String intentId, OutcomeStatus status, Long actual, Instant at) {
        byte[] value = topics.outcomeSerde().serializer()
                .serialize(topics.outcomes().name(), new Outcome(intentId, status, actual, "executor-1", null, null, null));
        outcomes.pipeInput(new TestRecord<>(bytes(intentId), value, TestKeys.signedBy("executor-1", value), at));
    }

    private void reportWithDetail(String intentId, OutcomeStatus status, String detail, Instant at) {
        byte[] value = topics.outcomeSerde().serializer()
                .serialize(topics.outcomes().name(), new Outcome(intentId, status, null, "executor-1", detail, null, null));
        outcomes.pipeInput(new TestRecord<>(bytes(intentId), value, TestKeys.signedBy("executor-1", value), at));
    }

    private List<Decision> decisions() {
        List<TestRecord<String, Decision>> all = new ArrayList<>();
        for (TopicSpec<String, Decision> topic : topics.decisions()) {
            all.addAll(output(topic).readRecordsToList());
        }
        all.sort(Comparator.comparing(TestRecord::getRecordTime));
        return all.stream().map(TestRecord::value).toList();
    }

    private Map<String, AuditRecord> caseFiles() {
        return output(topics.audit()).readKeyValuesToMap();
    }

    private WindowUsage day() {
        return StoredBudgets.usage(driver, GateStores.BUDGETS, "buyer", T0, policy.agent("buyer").orElseThrow().budgets(),
                policy.defaults().zone()).get(0);
    }

    private long reserved() {
        return day().reservedMicros();
    }

    private AuditRecord openEscalation(String intentId) {
        CaseFileValue open = driver.<String, CaseFileValue>getKeyValueStore(GateStores.OPEN_ESCALATIONS).get(intentId);
        return open == null ? null : open.caseFile();
    }

    /** Version loop-2 of the policy, with every agent suspended. */
    private void publishPolicySuspendingEveryAgent(Instant at) {
        publishPolicy(PolicyDocument.newBuilder(PolicyCodec.toAvro(policy)).setVersion("loop-2")
                .setAgents(PolicyCodec.toAvro(policy).getAgents().stream()
                        .map(a -> AgentPolicy.newBuilder(a).setSuspended(true).build()).toList())
                .build(), at);
    }

    /** Version loop-2 of the policy, with the tier BOARD renamed EXEC (its approver and the cross-department tier with it). */
    private void publishPolicyWithTiersRenamed(Instant at) {
        PolicyDocument current = PolicyCodec.toAvro(policy);
        current.getDefaults().setCrossDepartmentTier("EXEC");
        publishPolicy(PolicyDocument.newBuilder(current).setVersion("loop-2").setTiers(List.of("MANAGER", "EXEC"))
                .setApprovers(current.getApprovers().stream()
                        .map(a -> a.getTier().equals("BOARD") ? ApproverPolicy.newBuilder(a).setTier("EXEC").build() : a).toList())
                .build(), at);
    }

    /** Version loop-2 of the policy, which lists another agent in the buyer's place. */
    private void publishPolicyWithoutTheBuyer(Instant at) {
        PolicyDocument current = PolicyCodec.toAvro(policy);
        publishPolicy(PolicyDocument.newBuilder(current).setVersion("loop-2")
                .setAgents(List.of(AgentPolicy.newBuilder(current.getAgents().get(0)).setId("seller").build()))
                .build(), at);
    }

    private void publishPolicy(PolicyDocument document, Instant at) {
        input(topics.policies().name()).pipeInput(new TestRecord<>(bytes("default"),
                topics.policySerde().serializer().serialize(topics.policies().name(), document), at));
    }

    private List<String> deadlineIndex() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = driver.<String, byte[]>getKeyValueStore(GateStores.OPEN_ESCALATIONS_DUE).all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    /** Takes the escalation out of the deadline index, as if it had been opened by a version without it. */
    private void unindex(String intentId) {
        KeyValueStore<String, byte[]> index = driver.getKeyValueStore(GateStores.OPEN_ESCALATIONS_DUE);
        deadlineIndex().stream().filter(key -> key.endsWith(intentId)).forEach(index::delete);
    }

    private static List<String> events(AuditRecord caseFile) {
        return caseFile.getTimeline().stream().map(TimelineEntry::getEvent).toList();
    }

    private static TimelineEntry last(AuditRecord caseFile) {
        return caseFile.getTimeline().get(caseFile.getTimeline().size() - 1);
    }

    private TestInputTopic<byte[], byte[]> input(String topic) {
        return driver.createInputTopic(topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    private <K, V> TestOutputTopic<K, V> output(TopicSpec<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
