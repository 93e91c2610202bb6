package io.agentmediator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.schema.internal.LedgerRequestKind;
import io.agentmediator.schema.internal.LedgerRequest;
import io.agentmediator.partition.CaseStores;
import io.agentmediator.partition.GateStores;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.schema.internal.Hold;
import io.agentmediator.schema.internal.ResourceHolds;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Claims, holds and conflicts between agents through the real topology. */
class ResourceLedgerTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant NINE = Instant.parse("2026-11-24T09:00:00Z");
    private static final Instant TEN = NINE.plus(Duration.ofHours(1));
    private static final Instant ELEVEN = NINE.plus(Duration.ofHours(2));
    private static final Instant NOON = NINE.plus(Duration.ofHours(3));
    static final String POLICY = """
            version: "ledger-1"
            defaults: { escalationTimeout: PT4H, dependencyTimeout: PT1H, conflictTier: MANAGER, crossDepartmentTier: BOARD }
            tiers: [MANAGER, BOARD]
            agents:
              - id: ops-planner
                department: ops
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000000 }
                budgets: [ { window: DAY, limitMicros: 100000000 } ]
              - id: facilities-bot
                department: facilities
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 100000000 } ]
              - id: trainer
                department: research
                capabilities: { actions: ["*"], targets: ["*"] }
            resources:
              - { pattern: "gpu:*", capacity: 4 }
              - { pattern: "room:*", capacity: 1 }
            # signed with their test keys (PipelineDriver signs as they do): SignedApprovalsTest is about who may send what
            approvers:
              - { id: manager, tier: MANAGER, publicKey: "%s" }
              - { id: board, tier: BOARD, publicKey: "%s" }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("manager"), TestKeys.publicKey("board"), TestKeys.publicKey("executor-1"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldRejectAClaimOnAResourceNamedOutsideUnicodeNfcSoTwoSpellingsOfOneNameCannotBothBeBooked() {
        // Given room:Å booked by one agent, its name in NFC (Å as one code point)
        String composed = "room:\u00C5";
        mediator.send(booking("i-1", "ops-planner", composed, NINE, ELEVEN), T0);
        assertThat(outcome("i-1")).isEqualTo(DecisionOutcome.EXECUTE);

        // When another agent books the same room over the same hours, its name decomposed (A and a combining ring)
        String decomposed = "room:A\u030A";
        mediator.send(booking("i-2", "facilities-bot", decomposed, NINE, ELEVEN), T0.plusSeconds(1));

        // Then it is rejected, naming the field and the form to send, and holds nothing: the room stays booked once
        Decision second = mediator.decision("i-2");
        assertThat(second.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(only(second, ReasonCode.MALFORMED).getMessage()).contains("claims[0].resourceId is not in Unicode normalization form C",
                "send \"room:\\u00C5\", not \"room:A\\u030A\"");
        assertThat(holders(composed)).containsExactly("i-1");
        assertThat(holders(decomposed)).isEmpty();
    }

    @Test
    void shouldEscalateTheSecondOfTwoOverlappingExclusiveClaimsNamingTheHolder() {
        mediator.send(booking("i-1", "ops-planner", "room:4.12", NINE, ELEVEN), T0);
        mediator.send(booking("i-2", "facilities-bot", "room:4.12", TEN, NOON), T0.plusSeconds(1));

        assertThat(mediator.decision("i-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        Decision second = mediator.decision("i-2");
        assertThat(second.getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(second.getTier()).isEqualTo("MANAGER");
        Reason conflict = only(second, ReasonCode.RESOURCE_CONFLICT);
        assertThat(conflict.getMessage()).contains("room:4.12", "capacity 1", "agent ops-planner", "intent i-1");
        AuditRecord caseFile = mediator.caseFiles().get("i-2");
        assertThat(caseFile.getChecks().get(caseFile.getChecks().size() - 1).getCheck()).isEqualTo("resource-ledger");
        assertThat(holders("room:4.12")).containsExactly("i-1");
    }

    @Test
    void shouldGrantWindowsThatOnlyTouch() {
        mediator.send(booking("i-1", "ops-planner", "room:4.12", NINE, TEN), T0);
        mediator.send(booking("i-2", "facilities-bot", "room:4.12", TEN, ELEVEN), T0.plusSeconds(1));

        assertThat(mediator.decisions()).extracting(Decision::getOutcome).containsOnly(DecisionOutcome.EXECUTE);
        assertThat(holders("room:4.12")).containsExactly("i-1", "i-2");
    }

    @Test
    void shouldCountTheQuantitiesHeldAtThePeakAgainstTheCapacity() {
        mediator.send(claim("g-1", "ops-planner", new ResourceClaim("gpu:a100", 2L, NINE, TEN)), T0);
        mediator.send(claim("g-2", "facilities-bot", new ResourceClaim("gpu:a100", 2L, ELEVEN, NOON)), T0.plusSeconds(1));
        // 9–12 overlaps both, but at no instant are more than 2 held: 2 more fit in 4.
        mediator.send(claim("g-3", "trainer", new ResourceClaim("gpu:a100", 2L, NINE, NOON)), T0.plusSeconds(2));
        // Now 4 are held from 9 to 10: one more is one too many there.
        mediator.send(claim("g-4", "ops-planner", new ResourceClaim("gpu:a100", 1L, NINE.plusSeconds(1800), TEN)), T0.plusSeconds(3));
        mediator.send(claim("g-5", "facilities-bot", new ResourceClaim("gpu:a100", 1L, TEN, ELEVEN)), T0.plusSeconds(4));

        assertThat(outcome("g-1")).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(outcome("g-2")).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(outcome("g-3")).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(outcome("g-4")).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(only(mediator.decision("g-4"), ReasonCode.RESOURCE_CONFLICT).getMessage())
                .contains("capacity 4", "intent g-1", "intent g-3", "4 held at the peak + 1 claimed > 4")
                .doesNotContain("intent g-2");
        assertThat(outcome("g-5")).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldNotLetAQuantityTooLargeForALongWrapRoundToFitNorAForcedOneToFreeTheResource() {
        // Given one of four GPUs held, a claim of Long.MAX_VALUE more is a conflict, not a sum that wraps below 4
        mediator.send(claim("g-1", "ops-planner", new ResourceClaim("gpu:h100", 1L, NINE, TEN)), T0);
        mediator.send(claim("g-2", "facilities-bot", new ResourceClaim("gpu:h100", Long.MAX_VALUE, NINE, TEN)), T0.plusSeconds(1));
        assertThat(only(mediator.decision("g-2"), ReasonCode.RESOURCE_CONFLICT)).isNotNull();
        mediator.send(claim("g-3", "trainer", new ResourceClaim("gpu:h100", 3L, NINE, TEN)), T0.plusSeconds(2));
        assertThat(outcome("g-3")).as("the three left still fit").isEqualTo(DecisionOutcome.EXECUTE);

        // When a manager approves the huge claim anyway, it is held regardless of capacity
        mediator.approve("g-2", "manager", ApprovalDecision.APPROVE, T0.plusSeconds(3));
        assertThat(holders("gpu:h100")).contains("g-2");

        // Then the holds' sum past a long reads as full, not as a negative number with room in it
        mediator.send(claim("g-4", "trainer", new ResourceClaim("gpu:h100", 1L, NINE, TEN)), T0.plusSeconds(4));
        assertThat(only(mediator.decision("g-4"), ReasonCode.RESOURCE_CONFLICT)).isNotNull();
    }

    @Test
    void shouldSayAClaimLargerThanTheCapacityIsHeldByNobodyRatherThanNameAnEmptyListOfHolders() {
        // Given a free room, when an agent claims two of it
        mediator.send(claim("g-1", "ops-planner", new ResourceClaim("room:x", 2L, NINE, TEN)), T0);

        // Then the escalation says the claim alone is too large, instead of "held ... by ;"
        assertThat(only(mediator.decision("g-1"), ReasonCode.RESOURCE_CONFLICT).getMessage())
                .isEqualTo("resource room:x (capacity 1) is held by nobody over [2026-11-24T09:00:00Z, 2026-11-24T10:00:00Z), "
                        + "but 2 claimed > 1");
    }

    @Test
    void shouldNameAnIntentsOwnEarlierClaimOnTheResourceAsItsOwnNotAsAnotherHolder() {
        // Given another agent holding half of the GPUs from nine to ten
        mediator.send(claim("g-1", "trainer", new ResourceClaim("gpu:a100", 2L, NINE, TEN)), T0);

        // When an intent claims the same GPUs twice over that hour, three and one more
        mediator.send(claim("g-2", "ops-planner", new ResourceClaim("gpu:a100", 1L, NINE, TEN), new ResourceClaim("gpu:a100", 1L, NINE, TEN),
                new ResourceClaim("gpu:a100", 1L, NINE, TEN)), T0.plusSeconds(1));

        // Then the conflict names trainer's intent as the other holder, and the intent's own claims as its own
        assertThat(only(mediator.decision("g-2"), ReasonCode.RESOURCE_CONFLICT).getMessage())
                .isEqualTo("resource gpu:a100 (capacity 4) is held over [2026-11-24T09:00:00Z, 2026-11-24T10:00:00Z) by agent trainer "
                        + "(intent g-1, 2 over [2026-11-24T09:00:00Z, 2026-11-24T10:00:00Z)), and by this intent's own 2 earlier claims on it; "
                        + "4 held at the peak + 1 claimed > 4");
    }

    @Test
    void shouldRefuseAnIdUsedAgainAfterTheDedupeRetentionWhileItsCompletedHoldIsKept() {
        // Given an intent that completed holding the lab with no end, and the studio held by another agent
        mediator.send(claim("x-1", "ops-planner", new ResourceClaim("room:lab", 1L, null, null)), T0);
        mediator.report("x-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(60));
        mediator.send(claim("s-1", "facilities-bot", new ResourceClaim("room:studio", 1L, null, null)), T0.plusSeconds(61));

        // When the agent sends the same id again, eight days later (past the 7-day dedupe retention), for the lab and the studio
        Instant later = T0.plus(Duration.ofDays(8));
        mediator.send(claim("x-1", "ops-planner", new ResourceClaim("room:lab", 1L, null, null),
                new ResourceClaim("room:studio", 1L, null, null)), later);

        // Then it is a duplicate: the completed hold is not merged with the new claim and let go with its conflict
        assertThat(only(mediator.decision("x-1"), ReasonCode.DUPLICATE)).isNotNull();
        assertThat(holders("room:lab")).containsExactly("x-1");
        mediator.send(claim("y-1", "trainer", new ResourceClaim("room:lab", 1L, null, null)), later.plusSeconds(1));
        assertThat(only(mediator.decision("y-1"), ReasonCode.RESOURCE_CONFLICT)).as("the lab is still taken").isNotNull();
    }

    @Test
    void shouldKeepACompletedHoldWhenItsAgentUsesItsIdAgainOnceItsCaseIsForgottenAndTheNewIntentFails() {
        // Given the lab booked for an afternoon two months ahead, completed, and its case forgotten after the 30-day case retention
        Instant booked = labBookedUnderX1AndForgotten();

        // When the agent, its id no longer remembered, books another morning under the same id, and its executor reports it failed
        Instant later = T0.plus(Duration.ofDays(31));
        Instant morning = NINE.plus(Duration.ofDays(40));
        mediator.send(booking("x-1", "ops-planner", "room:lab", morning, morning.plus(Duration.ofHours(1))), later);
        mediator.report("x-1", OutcomeStatus.FAILED, null, later.plusSeconds(60));

        // Then the first booking, which nothing released, still holds the lab that afternoon
        assertThat(holds("room:lab")).extracting(Hold::getFrom).containsExactly(booked);
        mediator.send(booking("y-1", "trainer", "room:lab", booked, booked.plus(Duration.ofHours(1))), later.plusSeconds(120));
        assertThat(only(mediator.decision("y-1"), ReasonCode.RESOURCE_CONFLICT).getMessage()).contains("intent x-1");
        // And the id used again was refused as the gate refuses a retry, saying what still holds it
        assertThat(only(mediator.decision("x-1"), ReasonCode.DUPLICATE).getMessage())
                .contains("room:lab is still held by an earlier intent of agent ops-planner under the id x-1");
    }

    @Test
    void shouldRefuseAnIdStillHeldByAnEarlierIntentOnAResourceAfterTheOneThatConflicts() {
        // Given the lab booked two months ahead under x-1, completed, its case forgotten; and room:aaa booked by another agent
        Instant booked = labBookedUnderX1AndForgotten();
        Instant later = T0.plus(Duration.ofDays(31));
        Instant morning = NINE.plus(Duration.ofDays(40));
        mediator.send(booking("a-1", "facilities-bot", "room:aaa", morning, morning.plus(Duration.ofHours(1))), later);

        // When x-1 is used again for room:aaa, which conflicts, then the lab, where the earlier x-1 still holds
        mediator.send(claim("x-1", "ops-planner", new ResourceClaim("room:aaa", 1L, morning, morning.plus(Duration.ofHours(1))),
                new ResourceClaim("room:lab", 1L, morning, morning.plus(Duration.ofHours(1)))), later.plusSeconds(1));

        // Then it is refused DUPLICATE, not escalated: approved, it would have been taken regardless of capacity, and its
        // failure would have released the earlier x-1's lab along with its own
        assertThat(only(mediator.decision("x-1"), ReasonCode.DUPLICATE).getMessage())
                .contains("room:lab is still held by an earlier intent of agent ops-planner under the id x-1");
        assertThat(holds("room:lab")).extracting(Hold::getFrom).containsExactly(booked);
        assertThat(holders("room:aaa")).containsExactly("a-1");
        assertThat(mediator.agentBudgets("ops-planner", later).get(0).reservedMicros()).as("its reservation released").isZero();
    }

    @Test
    void shouldKeepAnEarlierIntentsBookingWhenAClaimUnderItsIdUsedAgainIsWithdrawnBeforeItsWalkGotThere() {
        // Given the lab booked two months ahead under x-1, completed, its case forgotten; and x-1 used again, holding the studio
        Instant booked = labBookedUnderX1AndForgotten();
        Instant later = T0.plus(Duration.ofDays(31));
        mediator.send(claim("x-1", "ops-planner", new ResourceClaim("room:studio", 1L, null, null)), later);
        assertThat(holders("room:studio")).containsExactly("x-1");

        // When the new x-1 is withdrawn before its claims' answer (claims timeout, a dependency undone), which tells every
        // resource its claims were sent to, among them the lab its walk had not reached, to let go of what the claim took
        String lab = LedgerKey.resource("room:lab").toString();
        String studio = LedgerKey.resource("room:studio").toString();
        for (String key : List.of(studio, lab)) {
            mediator.pipe(mediator.topics().ledgerRequests(), key,
                    LedgerRequests.releaseClaim("x-1", "ops-planner", later, later.plusSeconds(300)), later.plusSeconds(300));
        }

        // Then the new claim's studio is free, and the earlier x-1 still holds the lab
        assertThat(holders("room:studio")).isEmpty();
        assertThat(holds("room:lab")).extracting(Hold::getFrom).containsExactly(booked);
        mediator.send(booking("y-1", "trainer", "room:lab", booked, booked.plus(Duration.ofHours(1))), later.plusSeconds(301));
        assertThat(only(mediator.decision("y-1"), ReasonCode.RESOURCE_CONFLICT).getMessage()).contains("intent x-1");
    }

    @Test
    void shouldReleaseTheOpenEndedHoldAnOlderVersionTookForAClaimWithdrawnAfterTheUpgrade() {
        // Given room:a held for x-1's claim, sent at T0 without a window, by a ledger of a version that did not record when
        // the claim was sent; the claim's next step dead-lettered, so no answer will come back to release it
        mediator.<ResourceHolds>store(LedgerStores.RESOURCE_HOLDS).put(StoreKeys.scoped("room:a", "x-1"),
                new ResourceHolds(List.of(new Hold("x-1", "ops-planner", 1L, T0, null, null, false, null))));

        // When the claims timeout withdraws x-1 and tells every resource of its claim
        for (String resource : List.of("room:a", "room:b")) {
            mediator.pipe(mediator.topics().ledgerRequests(), LedgerKey.resource(resource).toString(),
                    LedgerRequests.releaseClaim("x-1", "ops-planner", T0, T0.plusSeconds(300)), T0.plusSeconds(300));
        }

        // Then the hold, which starts when the claim was sent, went: room:a is free for another agent
        assertThat(holders("room:a")).isEmpty();
        mediator.send(claim("y-1", "trainer", new ResourceClaim("room:a", 1L, null, null)), T0.plusSeconds(301));
        assertThat(mediator.decision("y-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldEscalateAConflictAfterLookingAtTheLaterResourcesAndTakeThemAllWhenApproved() {
        // Given room:aaa booked by another agent
        mediator.send(booking("a-1", "facilities-bot", "room:aaa", NINE, TEN), T0);

        // When an intent claims gpu:a100, then room:aaa (conflicting), then room:bbb, and a manager approves the conflict
        mediator.send(claim("c-1", "ops-planner", new ResourceClaim("gpu:a100", 1L, NINE, TEN), new ResourceClaim("room:aaa", 1L, NINE, TEN),
                new ResourceClaim("room:bbb", 1L, NINE, TEN)), T0.plusSeconds(1));
        Decision escalated = mediator.decision("c-1");
        assertThat(only(escalated, ReasonCode.RESOURCE_CONFLICT).getMessage()).contains("room:aaa", "intent a-1");
        assertThat(holders("gpu:a100")).as("released while it is escalated").isEmpty();
        assertThat(holders("room:bbb")).as("looked at, not taken").isEmpty();
        mediator.approve("c-1", "manager", ApprovalDecision.APPROVE, T0.plusSeconds(30));

        // Then it executes holding all three
        assertThat(mediator.decision("c-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(holders("gpu:a100")).containsExactly("c-1");
        assertThat(holders("room:aaa")).containsExactlyInAnyOrder("a-1", "c-1");
        assertThat(holders("room:bbb")).containsExactly("c-1");
    }

    @Test
    void shouldReleaseOnlyTheHoldsOfTheAgentWhoseIntentItIsWhenAnotherAgentUsesTheSameId() {
        // Given ops-planner's g-1 holding one GPU, and trainer's g-1 (decided in another partition, where the id is new)
        // holding two more, as that partition takes them when a person approved its conflict
        mediator.send(claim("g-1", "ops-planner", new ResourceClaim("gpu:a100", 1L, NINE, TEN)), T0);
        AgentIntent sameId = claim("g-1", "trainer", new ResourceClaim("gpu:a100", 2L, NINE, TEN));
        String gpu = LedgerKey.resource("gpu:a100").toString();
        mediator.pipe(mediator.topics().ledgerRequests(), gpu,
                LedgerRequests.force(sameId, "trainer", ClaimPlan.claims(sameId).get(0), T0.plusSeconds(1)), T0.plusSeconds(1));
        assertThat(holds("gpu:a100")).extracting(Hold::getAgentId).containsExactly("ops-planner", "trainer");

        // When trainer's executor reports its g-1 completed (as an earlier version sent it here), then compensated
        mediator.pipe(mediator.topics().ledgerRequests(), gpu,
                LedgerRequests.outcome("g-1", "trainer", OutcomeStatus.COMPLETED, null, T0.plusSeconds(2)), T0.plusSeconds(2));
        assertThat(holds("gpu:a100")).extracting(Hold::getAgentId).containsExactly("ops-planner", "trainer");
        mediator.pipe(mediator.topics().ledgerRequests(), gpu,
                LedgerRequests.outcome("g-1", "trainer", OutcomeStatus.COMPENSATED, null, T0.plusSeconds(3)), T0.plusSeconds(3));

        // Then ops-planner's hold is as it was, until its own outcome lets it go
        assertThat(holds("gpu:a100")).extracting(Hold::getAgentId).containsExactly("ops-planner");
        mediator.report("g-1", OutcomeStatus.FAILED, null, T0.plusSeconds(4));
        assertThat(holds("gpu:a100")).isEmpty();
    }

    @Test
    void shouldTreatAClaimWithoutAWindowAsHeldFromTheDecisionUntilReleased() {
        mediator.send(claim("i-1", "ops-planner", new ResourceClaim("room:lab", 1L, null, null)), T0);
        mediator.send(booking("i-2", "facilities-bot", "room:lab", NINE.plus(Duration.ofDays(300)), NOON.plus(Duration.ofDays(300))),
                T0.plusSeconds(1));

        assertThat(outcome("i-1")).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(outcome("i-2")).isEqualTo(DecisionOutcome.ESCALATE);
    }

    @Test
    void shouldRejectAClaimWhoseWindowEndedBeforeTheDecisionAsExpiredAndHoldNothing() {
        // Given a booking for an hour that ended before the intent is decided
        mediator.send(booking("late", "ops-planner", "room:4.12", T0.minus(Duration.ofHours(2)), T0), T0);
        // and one whose window is still open by a millisecond
        mediator.send(booking("just", "facilities-bot", "room:4.13", T0.minus(Duration.ofHours(1)), T0.plusMillis(1001)),
                T0.plusSeconds(1));

        // Then the first is refused, naming the window, spends nothing and holds nothing
        Decision late = mediator.decision("late");
        assertThat(late.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(only(late, ReasonCode.EXPIRED).getMessage())
                .contains("claims[0] on room:4.12", T0.minus(Duration.ofHours(2)).toString(), "ended before the intent was decided");
        assertThat(holders("room:4.12")).isEmpty();
        assertThat(mediator.<Object>store(GateStores.INTENT_HOLDINGS).get("late")).isNull();
        // and the second is decided as usual
        assertThat(outcome("just")).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(holders("room:4.13")).containsExactly("just");
    }

    @Test
    void shouldReleaseEveryClaimTakenWhenAnotherOfTheSameIntentConflicts() {
        mediator.send(booking("i-1", "ops-planner", "room:b", NINE, TEN), T0);
        // room:a is free and taken first; room:b conflicts; room:a must be let go again.
        mediator.send(claim("i-2", "facilities-bot", new ResourceClaim("room:a", 1L, NINE, TEN), new ResourceClaim("room:b", 1L, NINE, TEN)),
                T0.plusSeconds(1));
        mediator.send(booking("i-3", "trainer", "room:a", NINE, TEN), T0.plusSeconds(2));

        assertThat(outcome("i-2")).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(outcome("i-3")).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(holders("room:a")).containsExactly("i-3");
        assertThat(mediator.<Object>store(GateStores.INTENT_HOLDINGS).get("i-2")).isNull();
    }

    /**
     * Listed in opposite orders, two intents' claims are still walked in one: had each taken its first resource before the
     * other asked for it, both would have met a conflict at their second. The test driver finishes one intent's walk before
     * it reads the next, so what it can show is the order the requests go in.
     */
    @Test
    void shouldWalkClaimsByResourceWhateverOrderTheIntentListsThemIn() {
        mediator.send(claim("i-1", "ops-planner", new ResourceClaim("room:b", 1L, NINE, TEN), new ResourceClaim("room:a", 1L, NINE, TEN)),
                T0);
        mediator.send(claim("i-2", "facilities-bot", new ResourceClaim("room:a", 1L, NINE, TEN), new ResourceClaim("room:b", 1L, NINE, TEN)),
                T0.plusSeconds(1));

        assertThat(mediator.written(mediator.topics().ledgerRequests())).filteredOn(r -> r.getKind() == LedgerRequestKind.CLAIM)
                .extracting(LedgerRequest::getIntentId, r -> r.getSteps().get(r.getStep()).getKey())
                .containsExactly(tuple("i-1", "resource:room:a"), tuple("i-1", "resource:room:b"), tuple("i-2", "resource:room:a"));
        assertThat(outcome("i-1")).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(outcome("i-2")).isEqualTo(DecisionOutcome.ESCALATE);
    }

    @Test
    void shouldKeepTheHoldsOfAnIntentEscalatedForAnotherReasonUntilItIsDenied() {
        AgentIntent overAuthority = AgentIntent.newBuilder(booking("i-1", "ops-planner", "room:c", NINE, TEN))
                .setCommitmentMicros(5_000_000).build();
        mediator.send(overAuthority, T0);
        mediator.send(booking("i-2", "facilities-bot", "room:c", NINE, TEN), T0.plusSeconds(1));
        assertThat(only(mediator.decision("i-1"), ReasonCode.OVER_AUTHORITY)).isNotNull();
        assertThat(only(mediator.decision("i-2"), ReasonCode.RESOURCE_CONFLICT).getMessage()).contains("intent i-1");

        mediator.approve("i-1", "manager", ApprovalDecision.DENY, T0.plusSeconds(60));
        mediator.send(booking("i-3", "trainer", "room:c", NINE, TEN), T0.plusSeconds(61));

        assertThat(outcome("i-1")).isEqualTo(DecisionOutcome.REJECT);
        assertThat(outcome("i-3")).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(holders("room:c")).containsExactly("i-3");
    }

    @Test
    void shouldTakeTheHoldsOfAnApprovedConflictRegardlessOfCapacity() {
        mediator.send(booking("i-1", "ops-planner", "room:d", NINE, TEN), T0);
        mediator.send(booking("i-2", "facilities-bot", "room:d", NINE, TEN), T0.plusSeconds(1));
        assertThat(holders("room:d")).hasSize(1);

        mediator.approve("i-2", "manager", ApprovalDecision.APPROVE, T0.plusSeconds(60));
        mediator.send(booking("i-3", "trainer", "room:d", NINE, TEN), T0.plusSeconds(61));

        assertThat(outcome("i-2")).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(holders("room:d")).containsExactly("i-1", "i-2");
        assertThat(only(mediator.decision("i-3"), ReasonCode.RESOURCE_CONFLICT).getMessage()).contains("intent i-1", "intent i-2");
        assertThat(events(mediator.caseFiles().get("i-2"))).contains("HELD");
    }

    @Test
    void shouldReleaseHoldsWhenAnEscalationExpires() {
        AgentIntent overAuthority = AgentIntent.newBuilder(booking("i-1", "ops-planner", "room:e", NINE, TEN))
                .setCommitmentMicros(5_000_000).build();
        mediator.send(overAuthority, T0);

        mediator.advanceWallClock(Duration.ofHours(4).plusSeconds(10));

        assertThat(only(mediator.decision("i-1"), ReasonCode.ESCALATION_EXPIRED)).isNotNull();
        assertThat(holders("room:e")).isEmpty();
    }

    @Test
    void shouldNotExecuteAnApprovedConflictOnceTheWindowItClaimsHasEnded() {
        // Given a room held from one hour after T0 to two, and another agent's booking of the same hour escalated as a conflict
        Instant start = T0.plus(Duration.ofHours(1));
        Instant end = T0.plus(Duration.ofHours(2));
        mediator.send(booking("i-1", "ops-planner", "room:k", start, end), T0);
        mediator.send(booking("i-2", "facilities-bot", "room:k", start, end), T0.plusSeconds(1));
        Decision escalation = mediator.decision("i-2");
        assertThat(only(escalation, ReasonCode.RESOURCE_CONFLICT)).isNotNull();

        // Then its deadline is no later than the end of the hour it claims
        assertThat(escalation.getDeadline()).isEqualTo(end);

        // When a manager approves it an hour after that hour ended
        mediator.approve("i-2", "manager", ApprovalDecision.APPROVE, end.plus(Duration.ofHours(1)));

        // Then it is not executed for an hour gone by: the escalation expired with its window
        assertThat(mediator.decisions()).filteredOn(decision -> decision.getIntentId().equals("i-2"))
                .extracting(Decision::getOutcome).doesNotContain(DecisionOutcome.EXECUTE);
        assertThat(only(mediator.decision("i-2"), ReasonCode.ESCALATION_EXPIRED).getMessage()).contains("when its claim on room:k ends");
        assertThat(holders("room:k")).containsExactly("i-1");
    }

    @Test
    void shouldReleaseHoldsOnFailureAndKeepThemOnCompletionUntilTheirWindowEnds() {
        mediator.send(booking("i-1", "ops-planner", "room:f", NINE, TEN), T0);
        mediator.send(booking("i-2", "facilities-bot", "room:g", NINE, TEN), T0.plusSeconds(1));

        mediator.report("i-1", OutcomeStatus.FAILED, null, T0.plusSeconds(60));
        mediator.report("i-2", OutcomeStatus.COMPLETED, null, T0.plusSeconds(61));

        assertThat(holders("room:f")).isEmpty();
        assertThat(holders("room:g")).containsExactly("i-2");
        mediator.advanceWallClock(Duration.between(T0, TEN).plusSeconds(20));
        assertThat(holders("room:g")).isEmpty();
        try (KeyValueIterator<String, Object> filed = mediator.<Object>store(LedgerStores.RESOURCE_PRUNE_INDEX).all()) {
            assertThat(filed.hasNext()).as("nothing left to prune").isFalse();
        }
    }

    @Test
    void shouldTakeAReleasedHoldOutOfThePruneIndexAtOnceHoweverFarAheadItsWindowEnds() {
        // Given three bookings until 2200: one reported failed, one denied, one completed (which had to be executed within the hour)
        Instant farAhead = Instant.parse("2200-01-01T00:00:00Z");
        mediator.send(booking("i-1", "ops-planner", "room:q", NINE, farAhead), T0);
        mediator.send(AgentIntent.newBuilder(booking("i-2", "ops-planner", "room:r", NINE, farAhead))
                .setExpiresAt(T0.plus(Duration.ofHours(1))).build(), T0.plusSeconds(1));
        mediator.send(AgentIntent.newBuilder(booking("i-3", "ops-planner", "room:s", NINE, farAhead))
                .setCommitmentMicros(5_000_000).build(), T0.plusSeconds(2));
        assertThat(outcome("i-3")).isEqualTo(DecisionOutcome.ESCALATE);

        // When they are released, and the completed one's holds are kept until their window ends
        mediator.report("i-1", OutcomeStatus.FAILED, null, T0.plusSeconds(60));
        mediator.report("i-2", OutcomeStatus.COMPLETED, null, T0.plusSeconds(61));
        mediator.approve("i-3", "manager", ApprovalDecision.DENY, T0.plusSeconds(62));

        // Then the index files only the hold still held, when its window ends: the released ones' entries stayed until 2200
        assertThat(holders("room:q")).isEmpty();
        assertThat(holders("room:s")).isEmpty();
        String kept = farAhead.toEpochMilli() + "|" + StoreKeys.scoped("room:r", StoreKeys.scoped("ops-planner", "i-2"));
        List<String> filed = new ArrayList<>();
        try (KeyValueIterator<String, Object> all = mediator.<Object>store(LedgerStores.RESOURCE_PRUNE_INDEX).all()) {
            all.forEachRemaining(entry -> filed.add(entry.key));
        }
        assertThat(filed).containsExactly(kept);
        // And the changelog says so: a restored index holds no more than this one did
        Map<String, byte[]> latest = new HashMap<>();
        mediator.changelog(LedgerStores.RESOURCE_PRUNE_INDEX)
                .forEach(record -> latest.put(new String(record.key(), StandardCharsets.UTF_8), record.value()));
        assertThat(latest).hasSize(3);
        assertThat(latest.entrySet()).filteredOn(entry -> entry.getValue() != null).extracting(Map.Entry::getKey).containsExactly(kept);
    }

    /**
     * {@code expiresAt} says when the action may start, not when its report must arrive: an executor that booked the room just
     * before it and reports a minute after has made a booking that must go on counting, or the room is booked twice.
     */
    @Test
    void shouldKeepAnExecutedBookingsHoldPastItsIntentsExpiryReportedLateOrNotYet() {
        // Given two bookings to be executed within 30 minutes, executed at once
        mediator.send(AgentIntent.newBuilder(booking("i-1", "ops-planner", "room:h", NINE, TEN))
                .setExpiresAt(T0.plus(Duration.ofMinutes(30))).build(), T0);
        mediator.send(AgentIntent.newBuilder(booking("i-2", "facilities-bot", "room:i", NINE, TEN))
                .setExpiresAt(T0.plus(Duration.ofMinutes(30))).build(), T0.plusSeconds(1));

        // When housekeeping runs past the expiry, and then one is reported COMPLETED, the other not at all
        mediator.advanceWallClock(Duration.ofMinutes(31));
        mediator.report("i-1", OutcomeStatus.COMPLETED, null, T0.plus(Duration.ofMinutes(31)));
        mediator.advanceWallClock(Duration.ofSeconds(10));

        // Then both still hold their rooms, and another agent's booking of the same hour conflicts
        assertThat(holders("room:h")).containsExactly("i-1");
        assertThat(holders("room:i")).containsExactly("i-2");
        mediator.send(booking("i-3", "trainer", "room:h", NINE, TEN), T0.plus(Duration.ofMinutes(32)));
        assertThat(only(mediator.decision("i-3"), ReasonCode.RESOURCE_CONFLICT)).isNotNull();
    }

    @Test
    void shouldWriteNothingForAResourceWhenItsBookingIsReportedCompleted() {
        mediator.send(booking("i-1", "ops-planner", "room:c", NINE, TEN), T0);
        assertThat(outcome("i-1")).isEqualTo(DecisionOutcome.EXECUTE);
        // Read what the booking wrote: this gives what is new since it was last read
        mediator.changelog(LedgerStores.RESOURCE_HOLDS);

        mediator.report("i-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(60));

        assertThat(mediator.changelog(LedgerStores.RESOURCE_HOLDS)).isEmpty();
        assertThat(holders("room:c")).containsExactly("i-1");
    }

    @Test
    void shouldReleaseTheHoldsOfAnEscalationThatExpiresWithItsIntent() {
        // Given a booking over its agent's authority, to be executed within 30 minutes: escalated, its deadline its expiry
        mediator.send(AgentIntent.newBuilder(booking("i-1", "ops-planner", "room:h", NINE, TEN)).setCommitmentMicros(5_000_000)
                .setExpiresAt(T0.plus(Duration.ofMinutes(30))).build(), T0);
        assertThat(outcome("i-1")).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(holders("room:h")).containsExactly("i-1");

        // When nobody answers by then
        mediator.advanceWallClock(Duration.ofMinutes(31));

        // Then the expired escalation lets the room go
        assertThat(only(mediator.decision("i-1"), ReasonCode.ESCALATION_EXPIRED)).isNotNull();
        assertThat(holders("room:h")).isEmpty();
    }

    @Test
    void shouldForgetTheHoldsOfARejectedIntentAndNeverClaimForIt() {
        AgentIntent notAllowed = AgentIntent.newBuilder(booking("i-1", "ops-planner", "room:j", NINE, TEN)).setCostMicros(200_000_000L).build();
        mediator.send(notAllowed, T0);

        assertThat(only(mediator.decision("i-1"), ReasonCode.BUDGET_EXCEEDED)).isNotNull();
        assertThat(holders("room:j")).isEmpty();
    }

    @Test
    void shouldForgetClosedCasesAndWhatTheyHoldSoTheStoresStayBounded() {
        mediator.send(claim("i-1", "ops-planner", new ResourceClaim("room:k", 1L, null, null)), T0);
        mediator.send(claim("i-2", "facilities-bot", new ResourceClaim("room:l", 1L, null, null)), T0.plusSeconds(1));
        mediator.send(claim("i-3", "trainer", new ResourceClaim("room:m", 1L, null, null)), T0.plusSeconds(2));
        mediator.report("i-1", OutcomeStatus.FAILED, null, T0.plusSeconds(60));
        mediator.report("i-2", OutcomeStatus.COMPLETED, null, T0.plusSeconds(61));

        assertThat(mediator.<String>store(CaseStores.INTENT_OWNERS).get("i-1")).as("failed: closed").isNull();
        assertThat(mediator.<String>store(CaseStores.INTENT_OWNERS).get("i-2")).as("completed: may still be compensated").isEqualTo("facilities-bot");
        assertThat(mediator.<Object>store(GateStores.INTENT_HOLDINGS).get("i-2")).isNotNull();

        mediator.advanceWallClock(Duration.ofDays(30).plusHours(2));

        assertThat(mediator.<Object>store(CaseStores.EXECUTED_CASES).get("i-2")).isNull();
        assertThat(mediator.<Object>store(GateStores.INTENT_HOLDINGS).get("i-2")).isNull();
        assertThat(mediator.<String>store(CaseStores.INTENT_OWNERS).get("i-2")).isNull();
        assertThat(mediator.<Object>store(LedgerStores.TASK_STATES).get("i-2")).isNull();
        // A completed intent's hold without an end is a real commitment: it stays until a COMPENSATED releases it.
        assertThat(holders("room:l")).containsExactly("i-2");
        // One nobody ever reported is let go with its case.
        assertThat(holders("room:m")).isEmpty();
        assertThat(mediator.<String>store(CaseStores.INTENT_OWNERS).get("i-3")).isNull();
    }

    @Test
    void shouldForgetAnExecutedCaseFiledByAVersionWithoutTheIndexAndLetGoOfWhatItHolds() {
        // Given an executed intent nobody reports, holding room:p, filed as versions before the index by last change
        // filed executed cases: in executed-cases alone
        mediator.send(claim("i-1", "trainer", new ResourceClaim("room:p", 1L, null, null)), T0);
        KeyValueStore<String, byte[]> byChange = mediator.store(CaseStores.EXECUTED_CASES_BY_CHANGE);
        List<String> indexed = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = byChange.all()) {
            all.forEachRemaining(entry -> indexed.add(entry.key));
        }
        assertThat(indexed).singleElement().asString().endsWith("|i-1");
        indexed.forEach(byChange::delete);

        // When the case retention has passed since it was executed, and housekeeping has checked once more: the pass
        // that files it and the check that forgets it run on the same interval, in no set order
        mediator.advanceWallClock(Duration.ofDays(30).plusHours(2));
        mediator.advanceWallClock(Duration.parse(ConfigKeys.HOUSEKEEPING_INTERVAL.defaultValue()));

        // Then it is forgotten like a case this version filed: its hold let go, its owner forgotten, its case file settled
        assertThat(mediator.<Object>store(CaseStores.EXECUTED_CASES).get("i-1")).isNull();
        assertThat(holders("room:p")).isEmpty();
        assertThat(mediator.<String>store(CaseStores.INTENT_OWNERS).get("i-1")).isNull();
        assertThat(events(mediator.caseFiles().get("i-1"))).endsWith("SETTLED");
        // And the room is free for another agent
        mediator.send(claim("i-2", "facilities-bot", new ResourceClaim("room:p", 1L, null, null)), T0.plus(Duration.ofDays(30).plusHours(3)));
        assertThat(outcome("i-2")).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldForgetAFinishedTaskWrittenByAVersionWithoutTheTaskIndex() {
        // Given a completed intent whose task a version before the task index wrote: in task-states alone
        mediator.send(claim("i-1", "ops-planner", new ResourceClaim("room:q", 1L, null, null)), T0);
        mediator.report("i-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(60));
        assertThat(mediator.<Object>store(LedgerStores.TASK_STATES).get("i-1")).isNotNull();
        KeyValueStore<String, byte[]> taskIndex = mediator.store(LedgerStores.TASK_INDEX);
        List<String> indexed = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = taskIndex.all()) {
            all.forEachRemaining(entry -> indexed.add(entry.key));
        }
        assertThat(indexed).singleElement().asString().endsWith("|i-1");
        indexed.forEach(taskIndex::delete);

        // When the case retention has passed since it was reported
        mediator.advanceWallClock(Duration.ofDays(30).plusHours(2));

        // Then it is forgotten like a task this version wrote
        assertThat(mediator.<Object>store(LedgerStores.TASK_STATES).get("i-1")).isNull();
        // And an intent that depends on it now waits for it, as it would on any task forgotten after the retention
        mediator.send(AgentIntent.newBuilder(claim("i-2", "facilities-bot")).setDependsOn(List.of("i-1")).build(),
                T0.plus(Duration.ofDays(30).plusHours(3)));
        assertThat(mediator.decisions()).extracting(Decision::getIntentId).doesNotContain("i-2");
    }

    @Test
    void shouldForgetACaseWhoseLaterAnswersWereAllRefused() {
        // Given an executed intent nobody reports, and an unsigned outcome for it a day before its case is due
        mediator.send(claim("i-1", "trainer", new ResourceClaim("room:n", 1L, null, null)), T0);
        mediator.report(new Outcome("i-1", OutcomeStatus.COMPLETED, 0L, "mallory", null, null, null), null, T0.plus(Duration.ofDays(29)));
        assertThat(events(mediator.caseFiles().get("i-1"))).as("the refusal is on the record").contains("OUTCOME");
        assertThat(mediator.caseFiles().get("i-1").getUpdatedAt()).as("but is not a change of the case").isBefore(T0.plusSeconds(1));

        // When the case retention has passed since the intent was executed
        mediator.advanceWallClock(Duration.ofDays(30).plusHours(2));

        // Then the case and its hold are gone, as if the refused outcome had never come
        assertThat(mediator.<Object>store(CaseStores.EXECUTED_CASES).get("i-1")).isNull();
        assertThat(holders("room:n")).isEmpty();
    }

    private DecisionOutcome outcome(String intentId) {
        return mediator.decision(intentId).getOutcome();
    }

    /** The lab booked by ops-planner's x-1 for an afternoon two months ahead, completed, its case forgotten 31 days later. */
    private Instant labBookedUnderX1AndForgotten() {
        Instant booked = NINE.plus(Duration.ofDays(60));
        mediator.send(booking("x-1", "ops-planner", "room:lab", booked, booked.plus(Duration.ofHours(4))), T0);
        mediator.report("x-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(60));
        mediator.advanceWallClock(Duration.ofDays(31));
        assertThat(mediator.<Object>store(CaseStores.EXECUTED_CASES).get("x-1")).isNull();
        return booked;
    }

    private List<String> holders(String resourceId) {
        return holds(resourceId).stream().map(Hold::getIntentId).toList();
    }

    private List<Hold> holds(String resourceId) {
        List<Hold> holds = new ArrayList<>();
        try (KeyValueIterator<String, ResourceHolds> ofResource = mediator.<ResourceHolds>store(LedgerStores.RESOURCE_HOLDS)
                .prefixScan(StoreKeys.prefix(resourceId), Serdes.String().serializer())) {
            ofResource.forEachRemaining(entry -> holds.addAll(entry.value.getHolds()));
        }
        return holds;
    }

    static Reason only(Decision decision, ReasonCode code) {
        assertThat(decision.getReasons()).extracting(Reason::getCode).contains(code);
        return decision.getReasons().stream().filter(reason -> reason.getCode() == code).findFirst().orElseThrow();
    }

    static List<String> events(AuditRecord caseFile) {
        return caseFile.getTimeline().stream().map(entry -> entry.getEvent()).toList();
    }

    static AgentIntent booking(String intentId, String agentId, String resourceId, Instant from, Instant until) {
        return claim(intentId, agentId, new ResourceClaim(resourceId, 1L, from, until));
    }

    static AgentIntent claim(String intentId, String agentId, ResourceClaim... claims) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("resource.book").setTarget("calendar")
                .setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.95).setClaims(List.of(claims)).build();
    }
}
