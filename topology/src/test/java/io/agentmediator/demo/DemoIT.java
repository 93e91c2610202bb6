package io.agentmediator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicySource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, in process: every record sent is accounted for in the summary by
 * its first decision, the human loop (approvals, denials, ignored answers, expiries, outcomes)
 * shows up after it, and so does the resource ledger: conflicts across departments, an exceeded
 * shared pool, dependency chains.
 */
@Tag("slow")
class DemoIT {

    @Test
    void shouldAccountForEveryRecordAndShowEveryPathOfTheHumanLoop() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        DemoReport report =
                new DemoRun(2_000, 42, Duration.ofSeconds(90), new PrintStream(printed, true, StandardCharsets.UTF_8))
                        .run(MediatorConfig.defaults());

        DemoSummary summary = report.summary();
        assertThat(summary.intents()).isEqualTo(2_000);
        assertThat(summary.execute() + summary.escalate() + summary.reject() + summary.dlq()).isEqualTo(2_000);
        assertThat(summary.execute()).isPositive();
        assertThat(summary.escalate()).isPositive();
        assertThat(summary.reject()).isPositive();
        assertThat(summary.dlq()).isPositive();
        HumanLoopSummary humanLoop = report.humanLoop();
        assertThat(humanLoop.approved()).isPositive();
        assertThat(humanLoop.denied()).isPositive();
        assertThat(humanLoop.expired()).isPositive();
        assertThat(humanLoop.ignored()).isPositive();
        assertThat(humanLoop.outcomes()).isPositive();

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("embedded Kafka broker at", "decisions by outcome and first reason:", "BUDGET_EXCEEDED",
                "OVER_AUTHORITY", "APPROVED", "DENIED", "ESCALATION_EXPIRED", "RESOURCE_CONFLICT", "POOL_BUDGET_EXCEEDED",
                "DEPENDENCY_FAILED", "RATE_LIMITED");
        // A conflict between two departments' agents, shown with both sides, and the dependency chains.
        Matcher example = Pattern.compile("(?m)^  e\\.g\\. (\\S+) demo-\\d+: resource \\S+ \\(capacity \\d+\\) is held over .*? by agent (\\S+) \\(intent demo-")
                .matcher(output);
        assertThat(example.find()).as("a conflict shown with its holder").isTrue();
        Policy policy = PolicySource.load("classpath:policies/example.yaml").policy();
        assertThat(policy.agent(example.group(1)).orElseThrow().department())
                .isNotEqualTo(policy.agent(example.group(2)).orElseThrow().department());
        assertThat(output).containsPattern("(?m)^dependency chains: 20 steps waited for the step before; [1-9]\\d* rejected");
        List<String> lines = output.lines().toList();
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo(summary.toString())
                .matches("summary: intents=2000 execute=\\d+ escalate=\\d+ reject=\\d+ dlq=\\d+");
        assertThat(lines.get(lines.size() - 2))
                .isEqualTo(humanLoop.toString())
                .matches("human loop: approved=\\d+ denied=\\d+ ignored=\\d+ expired=\\d+ outcomes=\\d+");
    }
}
