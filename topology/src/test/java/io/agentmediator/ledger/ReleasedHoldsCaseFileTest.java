package io.agentmediator.ledger;

import static io.agentmediator.ledger.ResourceLedgerTopologyTest.booking;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Control;
import io.agentmediator.controls.ControlAction;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A case file is the intent's whole story: when a denial, an expiry or a suspension closes an escalation, what the intent
 * held in the resource ledger (its pool charge, its resource holds) is let go with its reservation, and the case file says so.
 */
class ReleasedHoldsCaseFileTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant NINE = Instant.parse("2026-11-24T09:00:00Z");
    private static final Instant TEN = NINE.plus(Duration.ofHours(1));
    private static final String POLICY = """
            version: "released-1"
            defaults: { escalationTimeout: PT4H, minConfidence: 0.6 }
            tiers: [MANAGER]
            agents:
              - id: planner
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 100000000 } ]
                pool: ops-team
            pools:
              - { id: ops-team, budgets: [ { window: DAY, limitMicros: 100000000 } ] }
            resources:
              - { pattern: "room:*", capacity: 1 }
            approvers:
              - { id: manager, tier: MANAGER, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("manager"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldSayInTheCaseFileOfADeniedEscalationWhatItHeldWasReleased() {
        mediator.send(unsure("r-1", "room:a"), T0);

        mediator.approve("r-1", "manager", ApprovalDecision.DENY, T0.plusSeconds(60));

        assertThat(released(mediator.caseFiles().get("r-1"))).contains("reservation of 1.00 released", "pool:ops-team", "resource:room:a");
    }

    @Test
    void shouldSayInTheCaseFileOfAnExpiredEscalationWhatItHeldWasReleased() {
        mediator.send(unsure("r-2", "room:b"), T0);

        mediator.advanceWallClock(Duration.ofHours(4).plusSeconds(10));

        assertThat(released(mediator.caseFiles().get("r-2"))).contains("pool:ops-team", "resource:room:b");
    }

    @Test
    void shouldSayInTheCaseFileOfAnEscalationClosedByAKillSwitchWhatItHeldWasReleased() {
        mediator.send(unsure("r-3", "room:c"), T0);
        mediator.pipe(mediator.topics().controls(), "planner",
                new Control(ControlAction.SUSPEND, "runaway", "alice", T0.plusSeconds(1)).toJson(), T0.plusSeconds(1));

        mediator.advanceWallClock(Duration.ofSeconds(11));

        assertThat(released(mediator.caseFiles().get("r-3"))).contains("pool:ops-team", "resource:room:c");
    }

    private static String released(AuditRecord caseFile) {
        return caseFile.getTimeline().stream().filter(entry -> entry.getEvent().equals("RELEASED")).map(TimelineEntry::getDetail)
                .reduce((first, last) -> last).orElse("(no RELEASED entry)");
    }

    private static AgentIntent unsure(String intentId, String room) {
        return AgentIntent.newBuilder(booking(intentId, "planner", room, NINE, TEN)).setCostMicros(1_000_000).setConfidence(0.1).build();
    }
}
