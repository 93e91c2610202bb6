package io.agentmediator.ledger;

import static io.agentmediator.ledger.ResourceLedgerTopologyTest.events;
import static io.agentmediator.ledger.ResourceLedgerTopologyTest.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.StoredBalances;
import io.agentmediator.budget.WindowBalance;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerReplyKind;
import io.agentmediator.schema.internal.LedgerRequest;
import io.agentmediator.schema.internal.LedgerRequestKind;
import io.agentmediator.schema.internal.TaskState;
import io.agentmediator.schema.internal.Waiter;
import io.agentmediator.schema.internal.WaitingIntent;
import io.agentmediator.serde.WireFormat;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shared budget pools and dependencies between intents, through the real topology. */
class PoolsAndDependenciesTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "pools-1"
            defaults: { escalationTimeout: PT4H, dependencyTimeout: PT1H, conflictTier: MANAGER, minConfidence: 0.6 }
            tiers: [MANAGER, BOARD]
            agents:
              - id: analyst-a
                department: research
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 8000000 } ]
                pool: research-team
              - id: analyst-b
                department: research
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 8000000 } ]
                pool: research-team
              - id: migrator
                department: ops
                capabilities: { actions: ["*"], targets: ["*"] }
              - id: verifier
                department: ops
                capabilities: { actions: ["*"], targets: ["*"] }
                rateLimit: { capacity: 1, refillPerSecond: 0.001 }
            pools:
              - { id: research-team, budgets: [ { window: DAY, limitMicros: 10000000 } ] }
            # signed with their test keys (PipelineDriver signs as they do): SignedApprovalsTest is about who may send what
            approvers:
              - { id: manager, tier: MANAGER, publicKey: "%s" }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("manager"), TestKeys.publicKey("executor-1"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldRejectWhenTheSharedPoolIsExceededAndReleaseTheAgentsOwnReservation() {
        mediator.send(spend("p-1", "analyst-a", 6_000_000), T0);
        mediator.send(spend("p-2", "analyst-b", 5_000_000), T0.plusSeconds(1));

        assertThat(mediator.decision("p-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        Decision rejected = mediator.decision("p-2");
        assertThat(rejected.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(only(rejected, ReasonCode.POOL_BUDGET_EXCEEDED).getMessage()).contains("research-team", "DAY");
        assertThat(agentDay("analyst-b").reservedMicros()).isZero();
        assertThat(agentDay("analyst-a").reservedMicros()).isEqualTo(6_000_000);
        assertThat(poolDay().reservedMicros()).isEqualTo(6_000_000);
        assertThat(mediator.caseFiles().get("p-2").getStage()).isEqualTo(CaseStage.REJECT);
    }

    @Test
    void shouldReleaseThePoolChargeOfAConflictingClaimRefusedForAnIdAnEarlierIntentStillHoldsALaterResourceUnder() {
        // Given analyst-a's completed booking of the lab two months ahead under x-1, its case forgotten, and room:aaa taken
        Instant booked = T0.plus(Duration.ofDays(60));
        mediator.send(booking("x-1", "analyst-a", 1_000_000, new ResourceClaim("room:lab", 1L, booked, booked.plus(Duration.ofHours(4)))), T0);
        mediator.report("x-1", OutcomeStatus.COMPLETED, 1_000_000L, T0.plusSeconds(60));
        mediator.advanceWallClock(Duration.ofDays(31));
        Instant later = T0.plus(Duration.ofDays(31));
        Instant morning = T0.plus(Duration.ofDays(40));
        mediator.send(booking("b-1", "analyst-b", 0, new ResourceClaim("room:aaa", 1L, morning, morning.plus(Duration.ofHours(1)))), later);

        // When x-1 is used again, charging the pool 3.00, for room:aaa (conflicting) and then the lab
        mediator.send(booking("x-1", "analyst-a", 3_000_000, new ResourceClaim("room:aaa", 1L, morning, morning.plus(Duration.ofHours(1))),
                new ResourceClaim("room:lab", 1L, morning, morning.plus(Duration.ofHours(1)))), later.plusSeconds(1));

        // Then it is refused DUPLICATE, and the pool charge a conflict keeps while it is escalated is released too
        assertThat(only(mediator.decision("x-1"), ReasonCode.DUPLICATE).getMessage()).contains("room:lab is still held");
        List<BudgetLimit> limits = mediator.policy().pools().get("research-team").budgets();
        assertThat(BudgetLedger.usage(new StoredBalances(mediator.<WindowBalance>store(LedgerStores.POOLS.balances())::get), "research-team",
                later, limits, mediator.policy().defaults().zone()).get(0).reservedMicros()).isZero();
    }

    @Test
    void shouldSettleThePoolAsTheExecutorReports() {
        mediator.send(spend("p-1", "analyst-a", 6_000_000), T0);
        mediator.report("p-1", OutcomeStatus.COMPLETED, 2_000_000L, T0.plusSeconds(30));
        mediator.send(spend("p-2", "analyst-b", 7_000_000), T0.plusSeconds(60));
        mediator.send(spend("p-3", "analyst-a", 5_000_000), T0.plusSeconds(61));
        mediator.report("p-2", OutcomeStatus.FAILED, null, T0.plusSeconds(90));
        mediator.send(spend("p-4", "analyst-a", 5_000_000), T0.plusSeconds(120));

        assertThat(mediator.decision("p-2").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(only(mediator.decision("p-3"), ReasonCode.POOL_BUDGET_EXCEEDED)).isNotNull();
        assertThat(mediator.decision("p-4").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(poolDay().spentMicros()).isEqualTo(2_000_000);
        assertThat(poolDay().reservedMicros()).isEqualTo(5_000_000);
    }

    @Test
    void shouldCountAnUnreportedIntentsEstimateAsSpentInItsPoolAsInItsAgentsBudgetWhenItsCaseIsForgotten() {
        try (PipelineDriver shortRetention = new PipelineDriver(POLICY, T0, MediatorConfig.defaults().with(ConfigKeys.CASE_RETENTION, "PT2H"))) {
            // Given an executed intent of 6.00 nobody reports
            shortRetention.send(spend("p-1", "analyst-a", 6_000_000), T0);

            // When its case is forgotten after the case retention
            shortRetention.advanceWallClock(Duration.ofHours(3));
            assertThat(shortRetention.<Object>store(io.agentmediator.partition.CaseStores.EXECUTED_CASES).get("p-1")).isNull();

            // Then the pool, like the agent, counts the 6.00 as spent: 5.00 more would be more than its 10.00
            assertThat(shortRetention.agentBudgets("analyst-a", T0).get(0).spentMicros()).isEqualTo(6_000_000);
            assertThat(poolDay(shortRetention).spentMicros()).isEqualTo(6_000_000);
            assertThat(poolDay(shortRetention).reservedMicros()).isZero();
            shortRetention.send(spend("p-2", "analyst-b", 5_000_000), T0.plusSeconds(3 * 3_600 + 60));
            assertThat(only(shortRetention.decision("p-2"), ReasonCode.POOL_BUDGET_EXCEEDED)).isNotNull();

            // And its case file, the last record of it the audit topic keeps, says what was done on its behalf
            AuditRecord caseFile = shortRetention.caseFiles().get("p-1");
            assertThat(caseFile.getStage()).isEqualTo(CaseStage.EXECUTE);
            assertThat(caseFile.getTimeline().get(caseFile.getTimeline().size() - 1)).satisfies(entry -> {
                assertThat(entry.getEvent()).isEqualTo("SETTLED");
                assertThat(entry.getDetail()).contains("no outcome reported within the case retention of PT2H",
                        "the estimate of 6.00 counts as spent", "pool:");
            });
            // with the budget as the settling left it, not the reservation of the decision
            assertThat(caseFile.getBudgets()).isNotEmpty().allSatisfy(window -> {
                assertThat(window.getSpentMicros()).isEqualTo(6_000_000);
                assertThat(window.getReservedMicros()).isZero();
            });
        }
    }

    @Test
    void shouldRejectAZeroEstimateOnceAnActualCostTookTheAgentsDayPastItsLimit() {
        // Given analyst-a's 6.00 intent reported to have cost 9.00, past its 8.00 day (the pool's 10.00 still has room)
        mediator.send(spend("p-1", "analyst-a", 6_000_000), T0);
        mediator.report("p-1", OutcomeStatus.COMPLETED, 9_000_000L, T0.plusSeconds(30));
        assertThat(agentDay("analyst-a").spentMicros()).isEqualTo(9_000_000);

        // When it sends an intent estimated at 0
        mediator.send(spend("z-1", "analyst-a", 0), T0.plusSeconds(60));

        // Then spent 9.00 + reserved 0 + cost 0 > 8.00: no room, even for nothing
        assertThat(only(mediator.decision("z-1"), ReasonCode.BUDGET_EXCEEDED).getMessage()).contains("9.00 spent");
    }

    @Test
    void shouldChargeThePoolWhatAMembersZeroEstimateActuallyCostAndRejectOneWhenThePoolIsOverrun() {
        // Given analyst-a's intent estimated at 0, reported to have cost 3.00
        mediator.send(spend("z-1", "analyst-a", 0), T0);
        assertThat(mediator.decision("z-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        mediator.report("z-1", OutcomeStatus.COMPLETED, 3_000_000L, T0.plusSeconds(30));

        // Then the pool is charged the 3.00 as the agent is
        assertThat(agentDay("analyst-a").spentMicros()).isEqualTo(3_000_000);
        assertThat(poolDay().spentMicros()).isEqualTo(3_000_000);

        // And when analyst-b's 7.00 turns out to cost 8.00, the pool (11.00 of 10.00) has no room for another 0
        mediator.send(spend("p-2", "analyst-b", 7_000_000), T0.plusSeconds(60));
        mediator.report("p-2", OutcomeStatus.COMPLETED, 8_000_000L, T0.plusSeconds(90));
        mediator.send(spend("z-2", "analyst-b", 0), T0.plusSeconds(120));
        assertThat(only(mediator.decision("z-2"), ReasonCode.POOL_BUDGET_EXCEEDED).getMessage()).contains("spent 11.00");
        assertThat(poolDay().reservedMicros()).isZero();
    }

    @Test
    void shouldRefuseAPoolClaimUnderAnIdAnotherAgentsIntentHoldsThereAndLetItSettleNothingOfThatIntent() {
        // Given analyst-a's intent x-1 executed, its 6.00 reserved in the pool
        mediator.send(spend("x-1", "analyst-a", 6_000_000), T0);
        assertThat(poolDay().reservedMicros()).isEqualTo(6_000_000);

        // When analyst-b's partition, where x-1 is a new id (ids are deduplicated per partition), claims the pool for its x-1
        String pool = LedgerKey.pool("research-team").toString();
        AgentIntent sameId = spend("x-1", "analyst-b", 5_000_000);
        Policy policy = mediator.policy();
        mediator.pipe(mediator.topics().ledgerRequests(), pool, LedgerRequests.claim(sameId, "analyst-b",
                ClaimPlan.steps(sameId, policy.agent("analyst-b").orElseThrow(), policy), T0.plusSeconds(1)), T0.plusSeconds(1));

        // Then the pool refuses it, naming the collision, instead of granting it uncharged
        assertThat(mediator.written(mediator.topics().ledgerReplies())).filteredOn(reply -> reply.getAgentId().equals("analyst-b"))
                .singleElement().satisfies(answer -> {
            assertThat(answer.getKind()).isEqualTo(LedgerReplyKind.POOL_EXCEEDED);
            assertThat(answer.getCode()).isEqualTo(ReasonCode.DUPLICATE);
            assertThat(answer.getMessage()).contains("pool research-team", "intent id x-1", "agent analyst-a");
            assertThat(answer.getGranted()).isEmpty();
        });
        assertThat(poolDay().reservedMicros()).isEqualTo(6_000_000);

        // And when analyst-b's x-1 is let go (denied, expired) and reported failed, analyst-a's reservation stays
        mediator.pipe(mediator.topics().ledgerRequests(), pool, LedgerRequests.release("x-1", "analyst-b", T0.plusSeconds(2)),
                T0.plusSeconds(2));
        mediator.pipe(mediator.topics().ledgerRequests(), pool,
                LedgerRequests.outcome("x-1", "analyst-b", OutcomeStatus.FAILED, null, T0.plusSeconds(3)), T0.plusSeconds(3));
        assertThat(poolDay().reservedMicros()).isEqualTo(6_000_000);
        mediator.send(spend("b-1", "analyst-b", 5_000_000), T0.plusSeconds(4));
        assertThat(only(mediator.decision("b-1"), ReasonCode.POOL_BUDGET_EXCEEDED)).as("6.00 + 5.00 > 10.00").isNotNull();

        // And analyst-a's own outcome still settles it
        mediator.report("x-1", OutcomeStatus.COMPLETED, 4_000_000L, T0.plusSeconds(5));
        assertThat(poolDay().spentMicros()).isEqualTo(4_000_000);
        assertThat(poolDay().reservedMicros()).isZero();
    }

    @Test
    void shouldKeepAReplayedDaysPoolSpendingThroughHousekeepingChecks() {
        // The wall clock five weeks after the day replayed with its own record times (topics in CreateTime)
        try (PipelineDriver replaying = new PipelineDriver(POLICY, T0.plus(Duration.ofDays(35)))) {
            // Given the day's 6.00 spent in the pool by one member
            replaying.send(spend("p-1", "analyst-a", 6_000_000), T0);
            replaying.report("p-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(60));

            // When housekeeping checks run on the wall clock
            replaying.advanceWallClock(Duration.ofSeconds(30));

            // Then the other member's 5.00 that day is still more than the pool's 10.00 allows, as it was when the day was lived
            replaying.send(spend("p-2", "analyst-b", 5_000_000), T0.plusSeconds(120));
            assertThat(only(replaying.decision("p-2"), ReasonCode.POOL_BUDGET_EXCEEDED)).isNotNull();
        }
    }

    @Test
    void shouldKeepAnEscalationsPoolChargeUntilItIsDenied() {
        mediator.send(AgentIntent.newBuilder(spend("p-1", "analyst-a", 6_000_000)).setConfidence(0.1).build(), T0);
        assertThat(only(mediator.decision("p-1"), ReasonCode.LOW_CONFIDENCE)).isNotNull();
        assertThat(poolDay().reservedMicros()).isEqualTo(6_000_000);

        mediator.approve("p-1", "manager", io.agentmediator.schema.ApprovalDecision.DENY, T0.plusSeconds(30));

        assertThat(poolDay().reservedMicros()).isZero();
    }

    @Test
    void shouldWaitUndecidedUntilADependencyOfAnotherAgentCompletesThenDecideAsIfItJustArrived() {
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(step("v-1", "verifier", "m-1"), T0.plusSeconds(1));

        assertThat(mediator.decision("v-1")).isNull();
        AuditRecord waiting = mediator.caseFiles().get("v-1");
        assertThat(waiting.getStage()).isEqualTo(CaseStage.WAITING);
        assertThat(waiting.getChecks()).anySatisfy(check -> assertThat(check.getStatus()).isEqualTo(CheckStatus.WAIT));

        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(300));

        Decision decided = mediator.decision("v-1");
        assertThat(decided.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(decided.getDecidedAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(events(mediator.caseFiles().get("v-1"))).containsExactly("RECEIVED", "WAITING", "DECIDED");
    }

    @Test
    void shouldLetNoMoreOfOneAgentsIntentsWaitThanTheLimitAndCountThemDownAsTheyAreDecided() {
        try (PipelineDriver capped = new PipelineDriver(POLICY, T0, MediatorConfig.defaults().with(ConfigKeys.LIMITS_WAITING_MAX, "3"))) {
            // Given three of verifier's intents waiting for m-1, the most the limit allows
            capped.send(step("m-1", "migrator"), T0);
            for (int i = 1; i <= 3; i++) {
                capped.send(step("v-" + i, "verifier", "m-1"), T0.plusSeconds(i));
            }
            assertThat(capped.decisions()).extracting(Decision::getIntentId).containsExactly("m-1");

            // When a fourth comes, and another agent's
            capped.send(step("v-4", "verifier", "m-1"), T0.plusSeconds(4));
            capped.send(step("m-2", "migrator", "m-1"), T0.plusSeconds(5));

            // Then the fourth is rejected RATE_LIMITED, saying why, and the other agent's waits
            Reason refused = only(capped.decision("v-4"), ReasonCode.RATE_LIMITED);
            assertThat(refused.getMessage()).contains("verifier", "3 intents waiting for their dependencies", "limits.waiting.max");
            assertThat(capped.decision("m-2")).isNull();

            // And once they are decided, the agent's intents may wait again
            capped.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(60));
            assertThat(capped.decisions()).extracting(Decision::getIntentId).contains("v-1", "v-2", "v-3", "m-2");
            capped.send(step("v-5", "verifier", "m-9"), T0.plusSeconds(61));
            assertThat(capped.decision("v-5")).isNull();
            assertThat(capped.caseFiles().get("v-5").getStage()).isEqualTo(CaseStage.WAITING);
        }
    }

    @Test
    void shouldRunAChainOfDependenciesAcrossAgentsInOrder() {
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(step("v-1", "verifier", "m-1"), T0.plusSeconds(1));
        mediator.send(step("m-2", "migrator", "v-1"), T0.plusSeconds(2));

        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));
        assertThat(mediator.decision("v-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(mediator.decision("m-2")).isNull();

        mediator.report("v-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(20));
        assertThat(mediator.decision("m-2").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(mediator.decisions()).extracting(Decision::getIntentId).containsExactly("m-1", "v-1", "m-2");
    }

    @Test
    void shouldWaitForEveryDependencyAndDecideOnTheLast() {
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(step("m-2", "migrator"), T0.plusSeconds(1));
        mediator.send(step("v-1", "verifier", "m-1", "m-2"), T0.plusSeconds(2));

        mediator.report("m-2", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));
        assertThat(mediator.decision("v-1")).isNull();
        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(20));

        assertThat(mediator.decision("v-1").getDecidedAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void shouldDecideAtOnceWhenTheDependencyCompletedBeforeTheIntentArrived() {
        mediator.send(step("m-1", "migrator"), T0);
        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));

        mediator.send(step("v-1", "verifier", "m-1"), T0.plusSeconds(20));

        assertThat(mediator.decision("v-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRejectWhenADependencyFailsOrIsCompensated() {
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(step("m-2", "migrator"), T0.plusSeconds(1));
        mediator.send(step("v-1", "verifier", "m-1"), T0.plusSeconds(2));
        mediator.send(step("v-2", "analyst-a", "m-2"), T0.plusSeconds(3));

        mediator.report("m-1", OutcomeStatus.FAILED, null, T0.plusSeconds(10));
        mediator.report("m-2", OutcomeStatus.COMPLETED, null, T0.plusSeconds(11));
        mediator.report("m-2", OutcomeStatus.COMPENSATED, null, T0.plusSeconds(12));
        mediator.send(step("v-3", "verifier", "m-2"), T0.plusSeconds(13));

        assertThat(only(mediator.decision("v-1"), ReasonCode.DEPENDENCY_FAILED).getMessage()).contains("m-1", "FAILED");
        assertThat(mediator.decision("v-1").getIntentSha256()).isEqualTo(mediator.intentSha256(step("v-1", "verifier", "m-1")));
        assertThat(mediator.decision("v-2").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(only(mediator.decision("v-3"), ReasonCode.DEPENDENCY_FAILED).getMessage()).contains("m-2", "COMPENSATED");
    }

    @Test
    void shouldCloseAnEscalationWhoseDependencyIsCompensatedAfterItCompletedSoThatNoApprovalExecutesIt() {
        // Given v-1 and v-2 each wait for a migration step, and escalate (low confidence) once it completes
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(step("m-2", "migrator"), T0.plusSeconds(1));
        mediator.send(doubtful(step("v-1", "analyst-a", "m-1")), T0.plusSeconds(2));
        mediator.send(doubtful(step("v-2", "analyst-b", "m-2")), T0.plusSeconds(3));
        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));
        mediator.report("m-2", OutcomeStatus.COMPLETED, null, T0.plusSeconds(11));
        assertThat(mediator.decision("v-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(agentDay("analyst-a").reservedMicros()).isEqualTo(1_000_000);

        // When m-1 is reported COMPENSATED while v-1's escalation is open, and the manager then approves both
        mediator.report("m-1", OutcomeStatus.COMPENSATED, null, T0.plusSeconds(20));
        mediator.approve("v-1", "manager", io.agentmediator.schema.ApprovalDecision.APPROVE, T0.plusSeconds(30));
        mediator.approve("v-2", "manager", io.agentmediator.schema.ApprovalDecision.APPROVE, T0.plusSeconds(31));

        // Then v-1's escalation was closed by the mediator when m-1 was undone, its reservation released, and the approval
        // found no case to answer (its owner is forgotten once the case closes, as after an expiry)
        assertThat(mediator.decisions()).filteredOn(d -> d.getIntentId().equals("v-1")).extracting(Decision::getOutcome)
                .containsExactly(DecisionOutcome.ESCALATE, DecisionOutcome.REJECT);
        Decision closed = mediator.decision("v-1");
        assertThat(closed.getDecidedAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(only(closed, ReasonCode.DEPENDENCY_FAILED).getMessage())
                .contains("dependency m-1 was reported COMPENSATED after it had completed, while this intent was escalated");
        assertThat(agentDay("analyst-a").reservedMicros()).isZero();
        AuditRecord caseFile = mediator.caseFiles().get("v-1");
        assertThat(caseFile.getStage()).isEqualTo(CaseStage.REJECT);
        assertThat(events(caseFile)).containsExactly("RECEIVED", "WAITING", "DECIDED", "DECIDED", "RELEASED");
        // and v-2, whose dependency stands, is executed as approved
        assertThat(mediator.decisions()).filteredOn(d -> d.getIntentId().equals("v-2")).extracting(Decision::getOutcome)
                .containsExactly(DecisionOutcome.ESCALATE, DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRejectAnIntentStillWaitingForAnotherDependencyWhenOneThatCompletedFailsAfterAll() {
        // Given v-1 waits for m-1 and m-2, and m-1 completed
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(step("m-2", "migrator"), T0.plusSeconds(1));
        mediator.send(step("v-1", "verifier", "m-1", "m-2"), T0.plusSeconds(2));
        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));

        // When m-1 is reported FAILED after all, and m-2 completes after
        mediator.report("m-1", OutcomeStatus.FAILED, null, T0.plusSeconds(20));
        mediator.report("m-2", OutcomeStatus.COMPLETED, null, T0.plusSeconds(30));

        // Then v-1 was rejected when m-1 was undone, and never executed
        assertThat(mediator.decisions()).filteredOn(d -> d.getIntentId().equals("v-1")).singleElement()
                .satisfies(d -> assertThat(only(d, ReasonCode.DEPENDENCY_FAILED).getMessage()).contains("m-1", "FAILED"))
                .satisfies(d -> assertThat(d.getDecidedAt()).isEqualTo(T0.plusSeconds(20)));
        try (var left = mediator.<Long>store(LedgerStores.TASK_WAITERS).all()) {
            assertThat(left.hasNext()).as("v-1 waits for m-2 no more").isFalse();
        }
    }

    @Test
    void shouldTellEveryDependentOfAnUndoneTaskThoseBeyondOnePassWithinFollowUpsOfAFewHundredMilliseconds() {
        // Given 250 of verifier's intents waiting for m-1 and m-2, and m-1 completed
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(step("m-2", "migrator"), T0.plusSeconds(1));
        for (int i = 0; i < 250; i++) {
            mediator.send(step("v-" + i, "verifier", "m-1", "m-2"), T0.plusSeconds(2));
        }
        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));

        // When m-1 is compensated: 200 of them are rejected with its outcome
        mediator.report("m-1", OutcomeStatus.COMPENSATED, null, T0.plusSeconds(20));
        assertThat(rejectedFailed()).isEqualTo(200);

        // Then the other 50 go with the ledger's next pass, a follow-up 100 ms on, not a housekeeping interval later,
        // and m-2's completion after that wakes none of them
        mediator.advanceWallClock(Duration.ofMillis(100));
        assertThat(rejectedFailed()).isEqualTo(250);
        mediator.report("m-2", OutcomeStatus.COMPLETED, null, T0.plusSeconds(30));
        assertThat(mediator.decisions()).extracting(Decision::getOutcome).containsOnly(DecisionOutcome.EXECUTE, DecisionOutcome.REJECT)
                .filteredOn(outcome -> outcome == DecisionOutcome.EXECUTE).hasSize(2);
    }

    @Test
    void shouldKeepWaitingAnIntentToldOfAnUndoneTaskItDoesNotDependOn() {
        // Given v-1 waiting for m-1 and m-2
        mediator.send(step("v-1", "verifier", "m-1", "m-2"), T0);

        // When the ledger's replies say an m-9 was undone to v-1 (an earlier v-1's dependency, the id reused since)
        mediator.pipe(mediator.topics().ledgerReplies(), "verifier", undone("v-1", "verifier", "m-9"), T0.plusSeconds(20));

        // Then v-1 still waits, and is decided once its own dependencies complete
        assertThat(mediator.decision("v-1")).isNull();
        mediator.send(step("m-1", "migrator"), T0.plusSeconds(21));
        mediator.send(step("m-2", "migrator"), T0.plusSeconds(22));
        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(30));
        mediator.report("m-2", OutcomeStatus.COMPLETED, null, T0.plusSeconds(31));
        assertThat(mediator.decision("v-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldLeaveOpenAnEscalationToldOfAnUndoneTaskItDoesNotDependOnOrOfAnotherAgentsIntent() {
        // Given v-1 escalated once m-1 completed
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(doubtful(step("v-1", "analyst-a", "m-1")), T0.plusSeconds(1));
        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));
        assertThat(mediator.decision("v-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);

        // When the ledger's replies say an m-9 was undone to v-1, and m-1 to another agent's v-1 (ids reused since, say)
        mediator.pipe(mediator.topics().ledgerReplies(), "analyst-a", undone("v-1", "analyst-a", "m-9"), T0.plusSeconds(20));
        mediator.pipe(mediator.topics().ledgerReplies(), "analyst-b", undone("v-1", "analyst-b", "m-1"), T0.plusSeconds(21));

        // Then the escalation stays open, and is executed as approved
        mediator.approve("v-1", "manager", io.agentmediator.schema.ApprovalDecision.APPROVE, T0.plusSeconds(30));
        assertThat(mediator.decisions()).filteredOn(d -> d.getIntentId().equals("v-1")).extracting(Decision::getOutcome)
                .containsExactly(DecisionOutcome.ESCALATE, DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldLeaveAnExecutedDependentAsItIsAndForgetDependentsWithTheirTask() {
        // Given v-1, woken by m-1's completion, executed, and v-2 told at once that m-1 had completed
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(step("v-1", "verifier", "m-1"), T0.plusSeconds(1));
        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));
        mediator.send(step("v-2", "migrator", "m-1"), T0.plusSeconds(11));
        assertThat(mediator.entries(LedgerStores.TASK_DEPENDENTS)).isEqualTo(2);

        // When m-1 is compensated
        mediator.report("m-1", OutcomeStatus.COMPENSATED, null, T0.plusSeconds(20));

        // Then both stay executed: what an executor ran is for it to undo; the ledger told them and keeps them no longer
        assertThat(mediator.decisions()).extracting(Decision::getIntentId, Decision::getOutcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("m-1", DecisionOutcome.EXECUTE), org.assertj.core.groups.Tuple.tuple("v-1", DecisionOutcome.EXECUTE),
                org.assertj.core.groups.Tuple.tuple("v-2", DecisionOutcome.EXECUTE));
        assertThat(mediator.entries(LedgerStores.TASK_DEPENDENTS)).isZero();

        // And a task's dependents go with the task at the case retention
        mediator.send(step("m-3", "migrator"), T0.plusSeconds(30));
        mediator.send(step("v-3", "verifier", "m-3"), T0.plusSeconds(31));
        mediator.report("m-3", OutcomeStatus.COMPLETED, null, T0.plusSeconds(40));
        assertThat(mediator.entries(LedgerStores.TASK_DEPENDENTS)).isEqualTo(1);
        mediator.advanceWallClock(Duration.ofDays(31));
        assertThat(mediator.entries(LedgerStores.TASK_DEPENDENTS)).isZero();
        assertThat(mediator.entries(LedgerStores.TASK_STATES)).isZero();
    }

    @Test
    void shouldRejectAnIntentThatWaitedPastTheDependencyTimeout() {
        mediator.send(step("v-1", "verifier", "never-sent"), T0);

        mediator.advanceWallClock(Duration.ofMinutes(59));
        assertThat(mediator.decision("v-1")).isNull();
        mediator.advanceWallClock(Duration.ofMinutes(1).plusSeconds(10));

        assertThat(only(mediator.decision("v-1"), ReasonCode.DEPENDENCY_UNMET).getMessage()).contains("never-sent", "PT1H");
        assertThat(mediator.decision("v-1").getIntentSha256()).isEqualTo(mediator.intentSha256(step("v-1", "verifier", "never-sent")));
        assertThat(mediator.<Object>store(GateStores.WAITING_INTENTS).get("v-1")).isNull();
        mediator.advanceWallClock(Duration.ofSeconds(10));
        assertThat(mediator.<TaskState>store(LedgerStores.TASK_STATES).get("never-sent")).isNull();
    }

    /** What a fault in deciding a woken intent leaves (AgentGateTest): waiting, none of its dependencies pending. */
    @Test
    void shouldSayAnIntentWhoseDependenciesCompletedButCouldNotBeDecidedWhenItsTimeoutPasses() {
        mediator.send(step("v-1", "verifier", "never-sent"), T0);
        KeyValueStore<String, WaitingIntent> waiting = mediator.store(GateStores.WAITING_INTENTS);
        waiting.put("v-1", WaitingIntent.newBuilder(waiting.get("v-1")).setPending(List.of()).build());

        mediator.advanceWallClock(Duration.ofMinutes(60).plusSeconds(10));

        assertThat(only(mediator.decision("v-1"), ReasonCode.DEPENDENCY_UNMET).getMessage())
                .contains("its dependencies completed, but it could not be decided (see the dead-letter topic)", "PT1H")
                .doesNotContain(" for  to complete");
    }

    @Test
    void shouldAnswerARetryOfAWaitingIntentAsADuplicateAndSpendNothingWhileItWaits() {
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(step("v-1", "verifier", "m-1"), T0.plusSeconds(1));
        mediator.send(step("v-1", "verifier", "m-1"), T0.plusSeconds(2));

        assertThat(only(mediator.decision("v-1"), ReasonCode.DUPLICATE)).isNotNull();
        assertThat(mediator.decision("v-1").getIntentSha256()).isEqualTo(mediator.intentSha256(step("v-1", "verifier", "m-1")));
        // The verifier's one token is still there for the intent when it is decided.
        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));
        assertThat(mediator.decision("v-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldKeepEveryRecordOfATaskSmallWhateverHowManyIntentsWaitForIt() {
        // Given a task, and three hundred intents with long ids waiting for it (waiting spends no token)
        mediator.send(step("nightly-load", "migrator"), T0);
        int waiting = 300;
        for (int i = 0; i < waiting; i++) {
            mediator.send(step(longId(i), "migrator", "nightly-load"), T0.plusSeconds(1));
        }
        assertThat(mediator.decisions()).hasSize(1);

        // Then no record the ledger writes for the task grows with its waiters: kept in one value, theirs took 160 KB
        // here, and a few thousand such waiters passed Kafka's 1 MB record limit, which stopped the ledger's partition
        for (String store : List.of(LedgerStores.TASK_STATES, LedgerStores.TASK_WAITERS, LedgerStores.TASK_DEPENDENTS)) {
            assertThat(mediator.changelog(store)).allSatisfy(record -> assertThat(size(record)).isLessThan(1_024));
        }

        // When the task completes, every waiter is told, and decided as if it had just arrived
        mediator.report("nightly-load", OutcomeStatus.COMPLETED, null, T0.plusSeconds(60));
        assertThat(mediator.decisions()).hasSize(1 + waiting).extracting(Decision::getOutcome).containsOnly(DecisionOutcome.EXECUTE);
        assertThat(mediator.decision(longId(waiting - 1)).getDecidedAt()).isEqualTo(T0.plusSeconds(60));
        for (String store : List.of(LedgerStores.TASK_STATES, LedgerStores.TASK_WAITERS, LedgerStores.TASK_DEPENDENTS)) {
            assertThat(mediator.changelog(store)).allSatisfy(record -> assertThat(size(record)).isLessThan(1_024));
        }
    }

    @Test
    void shouldForgetAWaiterOfATaskThatNeverFinishesOnceItsDependencyTimeoutHasPassed() {
        mediator.send(step("v-1", "verifier", "never-sent"), T0);

        mediator.advanceWallClock(Duration.ofMinutes(61));

        assertThat(only(mediator.decision("v-1"), ReasonCode.DEPENDENCY_UNMET)).isNotNull();
        try (var left = mediator.<Long>store(LedgerStores.TASK_WAITERS).all()) {
            assertThat(left.hasNext()).isFalse();
        }
    }

    @Test
    void shouldKeepInTheLedgerOnlyTheWaitersOfIntentsThatStillWait() {
        // Given m-1 executed and reported failed, m-2 executed and not reported yet, and v-1 waiting for m-2
        mediator.send(step("m-1", "migrator"), T0);
        mediator.report("m-1", OutcomeStatus.FAILED, null, T0.plusSeconds(1));
        mediator.send(step("m-2", "migrator"), T0.plusSeconds(2));
        mediator.send(step("v-1", "verifier", "m-2"), T0.plusSeconds(3));

        // When an agent sends a hundred intents that depend on m-1, on m-2 and on ten tasks that never finish
        int intents = 100;
        for (int i = 0; i < intents; i++) {
            List<String> dependsOn = new ArrayList<>(List.of("m-1", "m-2"));
            for (int j = 0; j < 10; j++) {
                dependsOn.add("never-" + i + "-" + j);
            }
            mediator.send(step("r-" + i, "migrator", dependsOn.toArray(String[]::new)), T0.plusSeconds(4 + i));
        }

        // Then each is rejected at once, which takes no token, so nothing but the ledger's memory limited how many came
        assertThat(mediator.decisions()).filteredOn(decision -> decision.getIntentId().startsWith("r-")).hasSize(intents)
                .allSatisfy(decision -> assertThat(only(decision, ReasonCode.DEPENDENCY_FAILED)).isNotNull());
        // And the ledger keeps a waiter for what still waits, v-1 on m-2, not the 1,100 of the rejected ones until their timeout
        assertThat(keys(GateStores.WAITING_INTENTS)).containsExactly("v-1");
        String waiter = StoreKeys.scoped("m-2", StoreKeys.scoped("verifier", "v-1"));
        assertThat(keys(LedgerStores.TASK_WAITERS)).containsExactly(waiter);
        assertThat(keys(LedgerStores.TASK_WAITER_INDEX)).singleElement().satisfies(filed -> assertThat(filed).endsWith(waiter));
        // as a store restored from its changelog would
        Map<String, byte[]> latest = new HashMap<>();
        mediator.changelog(LedgerStores.TASK_WAITERS)
                .forEach(record -> latest.put(new String(record.key(), StandardCharsets.UTF_8), record.value()));
        assertThat(latest.entrySet()).filteredOn(entry -> entry.getValue() != null).extracting(Map.Entry::getKey).containsExactly(waiter);

        // And v-1 is still told when m-2 completes, which leaves nothing of its wait in the ledger
        mediator.report("m-2", OutcomeStatus.COMPLETED, null, T0.plusSeconds(300));
        assertThat(mediator.decision("v-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(keys(LedgerStores.TASK_WAITERS)).isEmpty();
        assertThat(keys(LedgerStores.TASK_WAITER_INDEX)).isEmpty();
    }

    @Test
    void shouldTellTheLedgerAnIntentThatGaveUpWaitingWaitsNoMore() {
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(step("v-1", "verifier", "m-1", "never-sent"), T0.plusSeconds(1));
        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(2));
        mediator.written(mediator.topics().ledgerRequests());

        mediator.advanceWallClock(Duration.ofMinutes(61));

        assertThat(only(mediator.decision("v-1"), ReasonCode.DEPENDENCY_UNMET)).isNotNull();
        // Only never-sent: m-1's waiter went when it was told
        assertThat(mediator.written(mediator.topics().ledgerRequests())).filteredOn(request -> request.getKind() == LedgerRequestKind.STOP_WAITING)
                .singleElement().satisfies(request -> assertThat(request.getIntentId()).isEqualTo("v-1"));
        assertThat(keys(LedgerStores.TASK_WAITERS)).isEmpty();
    }

    /**
     * A version before STOP_WAITING reads it during a rolling upgrade as this one reads a kind added later: it skips
     * the request (dead-lettered, not fatal) and reads on, the other kinds of the later schema too. The waiter it
     * keeps goes at its timeout, as it did there.
     */
    @Test
    void shouldSkipALedgerRequestOfAKindALaterVersionAddedAndReadOn() {
        // Given the ledger-request schema of a later version, with one kind more, and m-1 executed
        String topic = mediator.topics().ledgerRequests().name();
        Schema later = new Schema.Parser().parse(LedgerRequest.getClassSchema().toString()
                .replace("\"CHECK_AFTER_CONFLICT\"]", "\"CHECK_AFTER_CONFLICT\",\"LATER\"]"));
        int laterId = mediator.registry().register(topic + "-value", later);
        mediator.send(step("m-1", "migrator"), T0);

        // When that version sends a request of its new kind for m-1, then one this version knows
        pipeAs(later, laterId, "LATER", "v-1", T0.plusSeconds(1));
        pipeAs(later, laterId, "AWAIT", "v-2", T0.plusSeconds(2));

        // Then the first is skipped, and the second read: v-2 waits for m-1
        assertThat(keys(LedgerStores.TASK_WAITERS)).containsExactly(StoreKeys.scoped("m-1", StoreKeys.scoped("verifier", "v-2")));
        mediator.send(step("m-2", "migrator"), T0.plusSeconds(3));
        assertThat(mediator.decision("m-2").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldTellTheWaitersAVersionBeforeKeptInTheTasksOwnValue() {
        // Given an intent waiting for m-1, recorded as a version before recorded it: in the task's value
        mediator.send(step("m-1", "migrator"), T0);
        mediator.send(step("v-1", "verifier", "m-1"), T0.plusSeconds(1));
        KeyValueStore<String, Long> waiters = mediator.store(LedgerStores.TASK_WAITERS);
        try (KeyValueIterator<String, Long> all = waiters.all()) {
            all.forEachRemaining(entry -> waiters.delete(entry.key));
        }
        mediator.<TaskState>store(LedgerStores.TASK_STATES)
                .put("m-1", new TaskState(null, null, List.of(new Waiter("v-1", "verifier", T0.plusSeconds(1)))));

        // When m-1 completes
        mediator.report("m-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));

        // Then v-1 is told and decided, and the task keeps how it finished, without its waiters
        assertThat(mediator.decision("v-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        TaskState task = mediator.<TaskState>store(LedgerStores.TASK_STATES).get("m-1");
        assertThat(task.getStatus()).isEqualTo(OutcomeStatus.COMPLETED);
        assertThat(task.getWaiters()).isEmpty();
    }

    @Test
    void shouldIgnoreAnOutcomeForAnIntentThatWasNeverExecuted() {
        mediator.send(step("v-1", "verifier", "m-9"), T0);

        mediator.report("m-9", OutcomeStatus.COMPLETED, null, T0.plusSeconds(10));

        assertThat(mediator.decision("v-1")).isNull();
    }

    private List<String> keys(String store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Object> all = mediator.<Object>store(store).all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    /** Writes a request for task m-1 as a version with the schema {@code schema} (registered as {@code schemaId}) would. */
    private void pipeAs(Schema schema, int schemaId, String kind, String intentId, Instant at) {
        GenericRecord request = new GenericData.Record(schema);
        request.put("kind", new GenericData.EnumSymbol(schema.getField("kind").schema(), kind));
        request.put("intentId", intentId);
        request.put("agentId", "verifier");
        request.put("at", at.toEpochMilli());
        request.put("steps", List.of());
        request.put("step", 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(WireFormat.header(schemaId));
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new GenericDatumWriter<GenericRecord>(schema).write(request, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mediator.pipe(new TopicSpec<>(mediator.topics().ledgerRequests().name(), Serdes.ByteArray(), Serdes.ByteArray(), false),
                LedgerKey.task("m-1").toString().getBytes(StandardCharsets.UTF_8), bytes.toByteArray(), at);
    }

    private WindowUsage agentDay(String agentId) {
        return mediator.agentBudgets(agentId, T0).get(0);
    }

    private WindowUsage poolDay() {
        return poolDay(mediator);
    }

    private static WindowUsage poolDay(PipelineDriver instance) {
        List<BudgetLimit> limits = instance.policy().pools().get("research-team").budgets();
        return BudgetLedger.usage(new StoredBalances(instance.<WindowBalance>store(LedgerStores.POOLS.balances())::get), "research-team",
                T0, limits, instance.policy().defaults().zone()).get(0);
    }

    private static AgentIntent booking(String intentId, String agentId, long costMicros, ResourceClaim... claims) {
        return AgentIntent.newBuilder(spend(intentId, agentId, costMicros)).setAction("resource.book").setTarget("calendar")
                .setClaims(List.of(claims)).build();
    }

    private static AgentIntent spend(String intentId, String agentId, long costMicros) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("llm.call").setTarget("llm:large")
                .setCostMicros(costMicros).setCommitmentMicros(0).setConfidence(0.95).build();
    }

    /** An intent id of 200 characters, within limits.id.max.chars. */
    private static String longId(int i) {
        return "%s-%03d".formatted("w".repeat(196), i);
    }

    private static int size(TestRecord<byte[], byte[]> record) {
        return (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
    }

    private long rejectedFailed() {
        return mediator.decisions().stream().filter(d -> d.getOutcome() == DecisionOutcome.REJECT)
                .filter(d -> d.getReasons().get(0).getCode() == ReasonCode.DEPENDENCY_FAILED).count();
    }

    /** What the resource ledger tells a dependent of a task undone after it completed. */
    private static LedgerReply undone(String intentId, String agentId, String task) {
        return LedgerReply.newBuilder().setKind(LedgerReplyKind.DEPENDENCY).setIntentId(intentId).setAgentId(agentId)
                .setDependency(task).setDependencyStatus(OutcomeStatus.COMPENSATED).build();
    }

    /** The intent at a confidence under the policy's minimum, with an estimate: it escalates, and reserves. */
    private static AgentIntent doubtful(AgentIntent intent) {
        return AgentIntent.newBuilder(intent).setConfidence(0.1).setCostMicros(1_000_000).build();
    }

    private static AgentIntent step(String intentId, String agentId, String... dependsOn) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("migration.step").setTarget("db")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.95).setDependsOn(List.of(dependsOn)).build();
    }
}
