package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.limits.RecordSize;
import io.agentmediator.policyreload.PolicyStringLimits;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.testing.PipelineDriver;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reasons quote the policy (an agent's allowed targets, a data flow's globs, the value a rule evaluated to). Policies
 * within their string limits whose quoted text is megabytes, most of it invisible characters escaped six times over, had
 * made decisions and case files larger than the producer sends (1 MB), so the intent went undecided: each now decides,
 * with records a fraction of that.
 */
class QuotedPolicyTextsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String HEAD = "version: \"v1\"\ntiers: [MANAGER]\n";

    static List<String> policies() {
        String invisibleTargets = IntStream.range(0, 3).mapToObj(i -> "\"" + i + "\u200b".repeat(65_535) + "\"")
                .collect(Collectors.joining(", "));
        String globs = IntStream.range(0, 36_000).mapToObj(i -> "\"s3://exports-%05d/*\"".formatted(i)).collect(Collectors.joining(", "));
        String erroringRules = IntStream.range(0, 3)
                .mapToObj(i -> "  - { id: r" + i + ", when: 'dyn(\"" + "\u200b".repeat(60_000) + "\")', effect: REJECT }\n")
                .collect(Collectors.joining());
        return List.of(
                HEAD + "agents:\n  - { id: a1, capabilities: { actions: [\"*\"], targets: [" + invisibleTargets + "] } }\n",
                HEAD + "agents:\n  - { id: a1, capabilities: { actions: [\"*\"], targets: [\"*\"] } }\n" + "rules:\n" + mostRules("%03d" + "\u4e2d".repeat(252), "false"),
                HEAD + "agents:\n  - { id: a1, capabilities: { actions: [\"*\"], targets: [\"*\"], dataClasses: [pii] } }\n"
                        + "dataFlows:\n  pii: [" + globs + "]\n",
                HEAD + "agents:\n  - { id: a1, capabilities: { actions: [\"*\"], targets: [\"*\"], dataClasses: [pii] } }\n"
                        + "rules:\n" + erroringRules);
    }

    /** As many rules as a policy may have, each with the id {@code id.formatted(i)}, all with the condition {@code when}. */
    static String mostRules(String id, String when) {
        int rules = PolicyStringLimits.RULES_MAX_CASE_FILE_BYTES / PolicyStringLimits.caseFileBytes(id.formatted(0));
        return IntStream.range(0, rules)
                .mapToObj(i -> "  - { id: \"%s\", when: \"%s\", effect: ESCALATE, tier: MANAGER }\n".formatted(id.formatted(i), when))
                .collect(Collectors.joining());
    }

    /** Ids of 255 characters, 252 of three bytes; and ids of four characters, as many rules as the bound allows. */
    static List<String> longAndShortIds() {
        return List.of("%03d" + "\u4e2d".repeat(252), "%04d");
    }

    @ParameterizedTest
    @MethodSource("longAndShortIds")
    void shouldDecideWithRecordsTheProducerSendsWhenEveryRuleOfThePolicyFires(String id) {
        String rules = mostRules(id, "true");
        try (PipelineDriver mediator = new PipelineDriver(HEAD + "agents:\n  - { id: a1, capabilities: { actions: [\"*\"], targets: [\"*\"] } }\n"
                + "rules:\n" + rules, T0)) {
            mediator.send(AgentIntent.newBuilder().setIntentId("i1").setAgentId("a1").setAction("llm.call").setTarget("erp")
                    .setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.95).build(), T0);

            Decision decision = mediator.decision("i1");
            assertThat(decision.getReasons()).hasSize((int) rules.lines().count());
            assertThat(mediator.deadLetters()).isEmpty();
            assertThat(mediator.topics().execute().valueSerde().serializer().serialize(mediator.topics().execute().name(), decision))
                    .hasSizeLessThan(RecordSize.DEFAULT_MAX_REQUEST_BYTES / 2);
            assertThat(mediator.topics().audit().valueSerde().serializer().serialize(mediator.topics().audit().name(), mediator.caseFiles().get("i1")))
                    .hasSizeLessThan(RecordSize.DEFAULT_MAX_REQUEST_BYTES - RecordSize.FRAMING_BYTES);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void shouldDecideWithRecordsWellUnderTheProducersLimit(String policy) {
        try (PipelineDriver mediator = new PipelineDriver(policy, T0)) {
            mediator.send(AgentIntent.newBuilder().setIntentId("i1").setAgentId("a1").setAction("llm.call").setTarget("erp")
                    .setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.95).setDataClasses(List.of("pii")).build(), T0);

            Decision decision = mediator.decision("i1");
            AuditRecord caseFile = mediator.caseFiles().get("i1");
            assertThat(mediator.deadLetters()).isEmpty();
            assertThat(mediator.topics().execute().valueSerde().serializer().serialize(mediator.topics().execute().name(), decision)).hasSizeLessThan(150_000);
            assertThat(mediator.topics().audit().valueSerde().serializer().serialize(mediator.topics().audit().name(), caseFile)).hasSizeLessThan(300_000);
        }
    }
}
