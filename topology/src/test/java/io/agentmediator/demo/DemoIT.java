package io.agentmediator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The README's first command, in process: every record sent is accounted for in the summary. */
@Tag("slow")
class DemoIT {

    @Test
    void shouldAccountForEveryRecordTheSimulatedAgentsSend() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        DemoSummary summary =
                new DemoRun(2_000, 42, Duration.ofSeconds(90), new PrintStream(progress, true, StandardCharsets.UTF_8))
                        .run(MediatorConfig.defaults());

        assertThat(summary.intents()).isEqualTo(2_000);
        assertThat(summary.execute() + summary.escalate() + summary.reject() + summary.dlq()).isEqualTo(2_000);
        assertThat(summary.execute()).isPositive();
        assertThat(summary.escalate()).isPositive();
        assertThat(summary.reject()).isPositive();
        assertThat(summary.dlq()).isPositive();
        assertThat(summary.toString()).matches("summary: intents=2000 execute=\\d+ escalate=\\d+ reject=\\d+ dlq=\\d+");
        assertThat(progress.toString(StandardCharsets.UTF_8))
                .contains("embedded Kafka broker at", "decisions by outcome and first reason:", "BUDGET_EXCEEDED", "OVER_AUTHORITY");
    }
}
