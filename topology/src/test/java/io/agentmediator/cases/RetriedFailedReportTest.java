package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** An executor that sends its FAILED again finds the case closed by the first: the trace says so, not "never executed" alone. */
class RetriedFailedReportTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "retried-failed-1"
            agents:
              - id: ops-a
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 100000000 } ]
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("executor-1"));

    @Test
    void shouldSayAReportAfterTheCaseWasClosedByAFailureMayBeForAClosedCase() {
        try (PipelineDriver mediator = new PipelineDriver(POLICY, T0)) {
            // Given r-1 executed and reported FAILED
            mediator.send(AgentIntent.newBuilder().setIntentId("r-1").setAgentId("ops-a").setAction("db.change").setTarget("db")
                    .setCostMicros(1_000_000).setCommitmentMicros(0).setConfidence(0.95).build(), T0);
            Outcome failed = new Outcome("r-1", OutcomeStatus.FAILED, null, "executor-1", null, "ops-a", null);
            mediator.report(failed, T0.plusSeconds(5));

            // When the executor sends it again
            mediator.report(failed, T0.plusSeconds(6));

            // Then the retry is recorded as changing nothing, with the reason it may have
            String trace = mediator.caseFiles().entrySet().stream().filter(entry -> entry.getKey().startsWith("r-1#outcome@"))
                    .flatMap(entry -> entry.getValue().getTimeline().stream()).map(TimelineEntry::getDetail)
                    .collect(Collectors.joining(" | "));
            assertThat(trace).contains("or whose execution was already reported FAILED or COMPENSATED").contains("it changes nothing");
        }
    }
}
