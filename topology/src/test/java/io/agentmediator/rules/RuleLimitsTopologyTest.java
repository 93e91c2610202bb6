package io.agentmediator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.testing.PipelineDriver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runaway rules of issue #11 through the whole topology: each is stopped at its limit, escalates
 * RULE_ERROR naming the limit, and the next intent, of another agent, is decided as usual. Without the
 * limits the replace runs the heap out, 100^4 iterations never end, and the rest are not errors at all.
 */
@Timeout(120)
class RuleLimitsTopologyTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private static final String POLICY = """
            version: "limits-1"
            tiers: [MANAGER, BOARD]
            agents:
              - id: planner
                capabilities: { actions: ["plan.*"], targets: ["erp"] }
              - id: bystander
                capabilities: { actions: ["plan.*"], targets: ["erp"] }
            rules:
              - id: echo
                when: "%s == 'replace' && intent.reasoning.replace('', intent.reasoning) != ''"
                effect: REJECT
              - id: cube
                when: "%s == 'cube' && intent.alternatives.all(a, intent.alternatives.all(b,
                  intent.alternatives.all(c, a + b + c != '')))"
                effect: REJECT
              - id: fourth
                when: "%s == 'fourth' && intent.alternatives.all(a, intent.alternatives.all(b,
                  intent.alternatives.all(c, intent.alternatives.all(d, a + b + c + d != ''))))"
                effect: REJECT
              - id: nested-prefix
                when: "%s == 'quadratic' && intent.alternatives.exists(a,
                  intent.alternatives.exists(b, a != b && b.startsWith(a + '/')))"
                effect: REJECT
              - id: pattern
                when: "%s == 'pattern' && intent.attributes[?'text'].orValue(intent.action)
                  .matches(intent.attributes[?'pattern'].orValue('^plan[.]'))"
                effect: REJECT
              - id: retries
                when: "%s == 'linear' && intent.alternatives.exists(a, a.startsWith('alternative-1999'))"
                effect: ESCALATE
                tier: BOARD
            """.formatted(probe(), probe(), probe(), probe(), probe(), probe());

    /** The input limits would reject these intents MALFORMED first; raised here so the rules' own budget is what is tested. */
    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0, MediatorConfig.layered(Map.of(), Map.of(),
            Map.of(ConfigKeys.LIMITS_ALTERNATIVES_MAX.name(), "10000")));

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldStopAReplaceThatWouldExhaustTheHeapAndEscalate() {
        // Given 20,000 characters, whose replace('', itself) would be 400 million
        AgentIntent intent = intent("echo-1", "replace", List.of()).setReasoning("r".repeat(20_000)).build();

        // When
        mediator.send(intent, T0);

        // Then
        assertStoppedAt("echo-1", "echo", "size limit of 1000000");
        assertTheNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void shouldStopCubicIterationOverAHundredAlternatives() {
        // When
        mediator.send(intent("cube-1", "cube", alternatives(100, "alt-")).build(), T0);

        // Then
        assertStoppedAt("cube-1", "cube", "cost limit of 100000 evaluation steps");
        assertTheNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void shouldStopIterationToTheFourthPowerThatWouldNeverEnd() {
        // When
        mediator.send(intent("fourth-1", "fourth", alternatives(100, "alt-")).build(), T0);

        // Then
        assertStoppedAt("fourth-1", "fourth", "cost limit of 100000 evaluation steps");
        assertTheNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void shouldStopAQuadraticRuleOverTheAlternativesOfALargeIntent() {
        // Given 2,000 alternatives, 26 KB, of which none is a prefix of another
        List<String> alternatives = alternatives(2_000, "alternative-");
        assertThat(String.join("", alternatives).length()).isGreaterThan(26_000);

        // When
        mediator.send(intent("quadratic-1", "quadratic", alternatives).build(), T0);

        // Then
        assertStoppedAt("quadratic-1", "nested-prefix", "cost limit of 100000 evaluation steps");
        assertTheNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void shouldLetALinearRuleOverTheSameLargeIntentDecideAsWritten() {
        // When the one rule read over the same 2,000 alternatives is linear
        mediator.send(intent("linear-1", "linear", alternatives(2_000, "alternative-")).build(), T0);

        // Then it fires, as a rule and not as an error
        Decision decision = mediator.decision("linear-1");
        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(decision.getReasons()).extracting(Reason::getCode, Reason::getRuleId)
                .containsExactly(tuple(ReasonCode.RULE, "retries"));
    }

    @Test
    void shouldRefuseRepeatsNestedPastRe2sLimitBeforeThePatternIsCompiled() {
        // Given a pattern of 21 characters, from the intent, that RE2J would expand to 10 million instructions
        mediator.send(intent("nested-1", "pattern", List.of()).setAttributes(Map.of("probe", "pattern",
                "pattern", "((a{1000}){100}){100}")).build(), T0);

        // Then
        assertStoppedAt("nested-1", "pattern", "nested repeats multiply to 10000000, over RE2's limit of 1000");
        assertTheNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void shouldStopAPatternThatWouldCompilePastTheSizeLimit() {
        // Given repeats side by side, none nested: 1,500 of a thousand instructions
        mediator.send(intent("wide-1", "pattern", List.of()).setAttributes(Map.of("probe", "pattern",
                "pattern", "a{1000}".repeat(1_500))).build(), T0);

        // Then
        assertStoppedAt("wide-1", "pattern", "size limit of 1000000");
        assertTheNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void shouldStopMatchingALongTextAgainstALargePatternAtTheCostLimit() {
        // Given 60,000 characters to run a program of about 500 instructions over
        mediator.send(intent("long-1", "pattern", List.of()).setAttributes(Map.of("probe", "pattern",
                "pattern", "(x{500}|y)+z", "text", "y".repeat(60_000))).build(), T0);

        // Then
        assertStoppedAt("long-1", "pattern", "cost limit of 100000 evaluation steps");
        assertTheNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void shouldMatchAsCelDoesWithinTheLimits() {
        // When the rule's own pattern, and one from the intent, are matched against the action
        mediator.send(intent("own-1", "pattern", List.of()).build(), T0);
        mediator.send(intent("given-1", "pattern", List.of()).setAttributes(Map.of("probe", "pattern",
                "pattern", "[.](up|down)date$")).build(), T0);
        mediator.send(intent("given-2", "pattern", List.of()).setAttributes(Map.of("probe", "pattern",
                "pattern", "^update")).build(), T0);

        // Then both match anywhere in the text, as RE2's find does, and a pattern that does not match does not fire
        assertThat(mediator.decision("own-1").getReasons()).extracting(Reason::getCode, Reason::getRuleId)
                .containsExactly(tuple(ReasonCode.RULE, "pattern"));
        assertThat(mediator.decision("given-1").getReasons()).extracting(Reason::getCode, Reason::getRuleId)
                .containsExactly(tuple(ReasonCode.RULE, "pattern"));
        assertThat(mediator.decision("given-2").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    private void assertStoppedAt(String intentId, String ruleId, String limit) {
        Decision decision = mediator.decision(intentId);
        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(decision.getTier()).isEqualTo("MANAGER");
        assertThat(decision.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.RULE_ERROR);
            assertThat(reason.getRuleId()).isEqualTo(ruleId);
            assertThat(reason.getMessage()).contains(limit);
        });
    }

    private void assertTheNextIntentOfAnotherAgentIsDecided() {
        mediator.send(AgentIntent.newBuilder(intent("bystander-1", "none", List.of()).build())
                .setAgentId("bystander").build(), T0.plusSeconds(1));
        assertThat(mediator.decision("bystander-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    /** Which rule an intent is meant for: the others do not look further, so each test sees one. */
    private static String probe() {
        return "intent.attributes[?'probe'].orValue('')";
    }

    private static AgentIntent.Builder intent(String intentId, String probe, List<String> alternatives) {
        return AgentIntent.newBuilder()
                .setIntentId(intentId)
                .setAgentId("planner")
                .setAction("plan.update")
                .setTarget("erp")
                .setCostMicros(1_000)
                .setCommitmentMicros(0L)
                .setConfidence(0.9)
                .setAlternatives(alternatives)
                .setAttributes(Map.of("probe", probe));
    }

    private static List<String> alternatives(int count, String prefix) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }
}
