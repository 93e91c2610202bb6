package io.agentmediator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Agents use one intent id, as they may (ids are unique within an agent, and an agent's partition forgets one after
 * dedupe.retention and case.retention), each booking many future hours of one resource under it. The holds were kept in
 * one record per (resource, intent id): every agent's holds under the id in one value, which passed Kafka's 1 MB record
 * limit at 22 agents (review, session 40), and the changelog write stopped the ledger's stream thread at every retry.
 */
class SharedIntentIdHoldsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final int AGENTS = 22;
    private static final int HOURS_EACH = 64;
    /** The longest id the default limits allow, of three-byte characters. */
    private static final String ID = "中".repeat(255);
    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    private final PipelineDriver mediator = new PipelineDriver(policy(), T0, MediatorConfig.defaults()
            .with(ConfigKeys.DEDUPE_RETENTION, "PT1H").with(ConfigKeys.CASE_RETENTION, "PT1H"));

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void eachAgentsHoldsUnderASharedIdAreARecordOfTheirOwnAndTheResourceStillCountsThemAll() {
        Instant at = T0;
        for (int agent = 0; agent < AGENTS; agent++) {
            List<ResourceClaim> claims = new ArrayList<>();
            for (int hour = 0; hour < HOURS_EACH; hour++) {
                claims.add(hour(agent * (long) HOURS_EACH + hour));
            }
            Decision decision = send(agent, claims, at);
            assertThat(decision.getOutcome()).as("a%d: %s", agent, decision.getReasons()).isEqualTo(DecisionOutcome.EXECUTE);
            mediator.report(new Outcome(ID, OutcomeStatus.COMPLETED, null, "erp-executor", null, "a" + agent, decision.getIntentSha256()),
                    TestKeys.privateKey("erp-executor"), at.plusSeconds(1));
            // Past both retentions: the agent's partition forgets the id; the completed booking holds until its hours end
            mediator.advanceWallClock(Duration.ofHours(3));
            at = at.plus(Duration.ofHours(3));
        }

        List<TestRecord<byte[], byte[]>> changelog = mediator.changelog(LedgerStores.RESOURCE_HOLDS);
        int largest = changelog.stream().mapToInt(record -> record.value() == null ? 0 : record.value().length).max().orElse(0);
        assertThat(mediator.entries(LedgerStores.RESOURCE_HOLDS)).as("a record per agent's intent").isEqualTo(AGENTS);
        assertThat(largest).as("one agent's %d holds, whatever the number of agents", HOURS_EACH).isLessThan(64 * 1024);

        // And a claim on an hour the first agent holds conflicts, as it did when all were in one record
        Decision late = send(AGENTS, List.of(hour(0)), at);
        assertThat(late.getReasons()).extracting(reason -> reason.getCode()).contains(ReasonCode.RESOURCE_CONFLICT);
    }

    private Decision send(int agent, List<ResourceClaim> claims, Instant at) {
        mediator.send(AgentIntent.newBuilder().setIntentId(ID).setAgentId("a" + agent).setAction("room.book").setTarget("rooms")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.95).setClaims(claims).build(), at);
        Decision decision = mediator.decision(ID);
        assertThat(decision.getAgentId()).isEqualTo("a" + agent);
        return decision;
    }

    private static ResourceClaim hour(long hoursAfterFar) {
        Instant from = FAR.plus(Duration.ofHours(hoursAfterFar));
        return ResourceClaim.newBuilder().setResourceId("room:1").setQuantity(1).setFrom(from).setUntil(from.plus(Duration.ofHours(1)))
                .build();
    }

    private static String policy() {
        return """
                version: "shared-1"
                defaults: { escalationTimeout: PT4H }
                tiers: [MANAGER, BOARD]
                agents:
                %s
                executors:
                  - { id: erp-executor, publicKey: "%s", agents: ["*"] }
                """.formatted(IntStream.rangeClosed(0, AGENTS)
                        .mapToObj(i -> "  - { id: a" + i + ", capabilities: { actions: [\"*\"], targets: [\"*\"] } }")
                        .collect(Collectors.joining("\n")), TestKeys.publicKey("erp-executor"));
    }
}
