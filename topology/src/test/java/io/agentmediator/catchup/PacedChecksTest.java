package io.agentmediator.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The checks that decide what fell due on the wall clock do it a bounded pass at a time, through the real topology: a
 * burst due together (escalations of one booked slot, intents waiting on a dependency that never came) is decided over
 * passes {@link PacedCheck#FOLLOW_UP} apart, so the stream thread takes fresh intents between them, and none of the
 * burst waits a whole check interval for the next pass.
 */
class PacedChecksTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    /** Two full passes and part of a third. */
    private static final int BURST = 2 * PacedCheck.DECISIONS_PER_PASS + PacedCheck.DECISIONS_PER_PASS / 2;
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);
    private static final String POLICY = """
            version: "paced-1"
            defaults: { escalationTimeout: PT4H, dependencyTimeout: PT1H }
            tiers: [MANAGER]
            agents:
              - id: buyer
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
              - id: verifier
                capabilities: { actions: ["*"], targets: ["*"] }
            approvers:
              - { id: manager, tier: MANAGER, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("manager"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldExpireABurstOfEscalationsDueTogetherInBoundedPassesAFollowUpApart() {
        // Given more escalations than one pass decides, all due at the same time
        for (int i = 0; i < BURST; i++) {
            mediator.send(overAuthority("po-" + i), T0);
        }
        mediator.advanceWallClock(CHECK_INTERVAL);
        assertThat(expired(ReasonCode.ESCALATION_EXPIRED)).as("the first check read them all, none due").isZero();

        // When their deadline has passed, one check runs (finding them by their deadline), then a follow-up, then two more
        mediator.advanceWallClock(Duration.ofHours(4));
        int firstPass = expired(ReasonCode.ESCALATION_EXPIRED);
        mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
        int secondPass = expired(ReasonCode.ESCALATION_EXPIRED);
        mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
        mediator.advanceWallClock(PacedCheck.FOLLOW_UP);

        // Then each pass decided its bound, the third the rest: within follow-ups, not a check interval apart
        assertThat(firstPass).isEqualTo(PacedCheck.DECISIONS_PER_PASS);
        assertThat(secondPass).isEqualTo(2 * PacedCheck.DECISIONS_PER_PASS);
        assertThat(expired(ReasonCode.ESCALATION_EXPIRED)).isEqualTo(BURST);
        assertThat(mediator.decisions()).filteredOn(d -> d.getOutcome() == DecisionOutcome.REJECT)
                .extracting(Decision::getIntentId).doesNotHaveDuplicates();
    }

    @Test
    void shouldFollowUpWhileAPassTakesItsBoundFromTheDeadlineIndexThoughSomeOfWhatItTookWasAnsweredBefore() {
        // Given a burst of escalations due together, every other one denied before its deadline: the index still files
        // those, and a pass that takes them finds fewer to expire than it took
        for (int i = 0; i < BURST; i++) {
            mediator.send(overAuthority("po-" + i), T0);
        }
        for (int i = 0; i < BURST; i += 2) {
            mediator.approve("po-" + i, "manager", ApprovalDecision.DENY, T0.plusSeconds(1));
        }
        mediator.advanceWallClock(CHECK_INTERVAL);
        assertThat(expired(ReasonCode.DENIED)).isEqualTo((BURST + 1) / 2);

        // When their deadline has passed: one check, then follow-ups
        mediator.advanceWallClock(Duration.ofHours(4));
        for (int pass = 0; pass < 3; pass++) {
            mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
        }

        // Then every one left expired within the follow-ups: a pass of answered ones still said more may be due
        assertThat(expired(ReasonCode.ESCALATION_EXPIRED)).isEqualTo(BURST / 2);
    }

    @Test
    void shouldRejectTheEscalationsOfAnAgentThePolicyNowSuspendsInBoundedPassesUntilEveryOneIsRead() {
        // Given more open escalations than one pass decides, read at a first check
        for (int i = 0; i < BURST; i++) {
            mediator.send(overAuthority("po-" + i), T0);
        }
        mediator.advanceWallClock(CHECK_INTERVAL);

        // When a policy suspends their agent, and the check after it runs, with its follow-ups
        suspendEveryAgent(mediator, T0.plus(CHECK_INTERVAL));
        mediator.advanceWallClock(CHECK_INTERVAL);
        int firstPass = expired(ReasonCode.AGENT_SUSPENDED);
        for (int pass = 0; pass < 3; pass++) {
            mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
        }

        // Then a read that stopped at its bound is taken up again at the follow-up, until it has read every escalation
        assertThat(firstPass).isEqualTo(PacedCheck.DECISIONS_PER_PASS);
        assertThat(expired(ReasonCode.AGENT_SUSPENDED)).isEqualTo(BURST);
    }

    @Test
    void shouldRejectABurstOfIntentsWaitingPastTheDependencyTimeoutInBoundedPassesAFollowUpApart() {
        // Given more intents than one pass decides, waiting for a task that never comes
        for (int i = 0; i < BURST; i++) {
            mediator.send(AgentIntent.newBuilder().setIntentId("verify-" + i).setAgentId("verifier").setAction("migration.verify")
                    .setTarget("db").setCostMicros(0).setCommitmentMicros(0).setConfidence(0.95).setDependsOn(List.of("never-sent")).build(), T0);
        }
        assertThat(mediator.decisions()).isEmpty();

        // When the dependency timeout has passed, counted in housekeeping intervals, then follow-ups run
        for (Duration passed = Duration.ZERO; passed.compareTo(Duration.ofHours(1)) < 0; passed = passed.plus(CHECK_INTERVAL)) {
            mediator.advanceWallClock(CHECK_INTERVAL);
        }
        int firstPass = expired(ReasonCode.DEPENDENCY_UNMET);
        for (int pass = 0; pass < 3; pass++) {
            mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
        }

        // Then
        assertThat(firstPass).isEqualTo(PacedCheck.DECISIONS_PER_PASS);
        assertThat(expired(ReasonCode.DEPENDENCY_UNMET)).isEqualTo(BURST);
    }

    @Test
    void shouldRecordABurstOfAnswersForIntentsNobodyDecidedInBoundedPassesAFollowUpApart() {
        // Given more approvals than one pass records, for intents nobody decided, all waiting since the same moment
        for (int i = 0; i < BURST; i++) {
            mediator.approve("ghost-" + i, "manager", ApprovalDecision.APPROVE, T0);
        }

        // When case.owner.wait has passed, counted in check intervals, then follow-ups run
        Duration ownerWait = Duration.parse(ConfigKeys.CASE_OWNER_WAIT.defaultValue());
        for (Duration passed = Duration.ZERO; passed.compareTo(ownerWait) < 0; passed = passed.plus(CHECK_INTERVAL)) {
            mediator.advanceWallClock(CHECK_INTERVAL);
        }
        long firstPass = unmatched();
        for (int pass = 0; pass < 3; pass++) {
            mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
        }

        // Then each is recorded as matching no case, the bound a pass
        assertThat(firstPass).isEqualTo(PacedCheck.DECISIONS_PER_PASS);
        assertThat(unmatched()).isEqualTo(BURST);
    }

    private long unmatched() {
        return mediator.caseFiles().keySet().stream().filter(key -> key.startsWith("ghost-") && key.contains("#approval@")).count();
    }

    @Test
    void shouldReadEachEscalationOnceARoundThoughMoreThanAPassFailEveryTimeSoTheRestAreDecidedAndThePassesStop() {
        // Given more escalations than a pass decides whose rejection fails every time (their signing throws), sorted
        // ahead of others of the same agent
        int stuck = PacedCheck.DECISIONS_PER_PASS + PacedCheck.DECISIONS_PER_PASS / 2;
        int others = 2 * PacedCheck.DECISIONS_PER_PASS + 10;
        List<String> signingAttempts = new ArrayList<>();
        try (PipelineDriver failing = new PipelineDriver(POLICY, T0, MediatorConfig.defaults(), decision -> {
            if (decision.getOutcome() == DecisionOutcome.REJECT) {
                signingAttempts.add(decision.getIntentId());
                if (decision.getIntentId().startsWith("a-stuck-")) {
                    throw new IllegalStateException("no key to sign " + decision.getIntentId());
                }
            }
            return decision;
        })) {
            for (int i = 0; i < stuck; i++) {
                failing.send(overAuthority("a-stuck-" + i), T0);
            }
            for (int i = 0; i < others; i++) {
                failing.send(overAuthority("b-po-" + i), T0);
            }
            failing.advanceWallClock(CHECK_INTERVAL);

            // When a policy suspends their agent, the check after it runs, then follow-ups, more than the round needs
            suspendEveryAgent(failing, T0.plus(CHECK_INTERVAL));
            failing.advanceWallClock(CHECK_INTERVAL);
            for (int pass = 0; pass < 6; pass++) {
                failing.advanceWallClock(PacedCheck.FOLLOW_UP);
            }

            // Then every other escalation is rejected, and each stuck one was tried once: the passes went on past them
            // and stopped at the end of the round, where going back to the first key made every pass theirs
            assertThat(failing.decisions()).filteredOn(d -> d.getOutcome() == DecisionOutcome.REJECT)
                    .extracting(Decision::getIntentId).hasSize(others).allMatch(id -> id.startsWith("b-po-"));
            assertThat(signingAttempts).filteredOn(id -> id.startsWith("a-stuck-")).hasSize(stuck).doesNotHaveDuplicates();
        }
    }

    private static void suspendEveryAgent(PipelineDriver driver, Instant at) {
        PolicyDocument current = PolicyCodec.toAvro(driver.policy());
        PolicyDocument suspending = PolicyDocument.newBuilder(current).setVersion("paced-2")
                .setAgents(current.getAgents().stream().map(a -> AgentPolicy.newBuilder(a).setSuspended(true).build()).toList())
                .build();
        String topic = driver.topics().policies().name();
        driver.pipe(driver.topics().policies(), "default".getBytes(StandardCharsets.UTF_8),
                driver.topics().policySerde().serializer().serialize(topic, suspending), at);
    }

    private int expired(ReasonCode code) {
        return (int) mediator.decisions().stream().filter(d -> d.getReasons().stream().anyMatch(r -> r.getCode() == code)).count();
    }

    private static AgentIntent overAuthority(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("buyer").setAction("purchase-order.create").setTarget("erp")
                .setCostMicros(1_000).setCommitmentMicros(5_000).setConfidence(0.9).build();
    }
}
