package io.agentmediator.rules;

import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Capabilities;
import io.agentmediator.schema.AgentIntent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Intents, agents and rules for rule tests: plain ones, each test changes what it is about. */
final class RuleFixtures {

    /** A Saturday, in UTC. */
    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    static final AgentProfile AGENT = new AgentProfile("ops-scheduler", "sam@example.com", "operations", false,
            null, null, new Capabilities(List.of("schedule.*"), List.of("calendar"), List.of("PUBLIC")),
            null, null, List.of(), null);

    private RuleFixtures() {
    }

    /**
     * Every list and map is set, because the builder reads unset defaults through Avro, which refuses to load
     * the claim class until a serde has trusted it.
     */
    static AgentIntent.Builder intent() {
        return AgentIntent.newBuilder()
                .setIntentId("intent-1")
                .setAgentId(AGENT.id())
                .setAction("schedule.update")
                .setTarget("calendar")
                .setCostMicros(1_000_000)
                .setConfidence(0.9)
                .setAlternatives(List.of())
                .setDataClasses(List.of())
                .setDepartments(List.of())
                .setClaims(List.of())
                .setDependsOn(List.of())
                .setAttributes(Map.of());
    }

    static RuleInput input(AgentIntent.Builder intent) {
        return new RuleInput(intent.build(), AGENT.ruleAgent(), Map.of(), NOW);
    }

    static Rule rule(String id, String when) {
        return new Rule(id, when, RuleEffect.ESCALATE, "MANAGER", RuleMode.ENFORCE, null);
    }

    static CompiledRules compile(Rule... rules) {
        return RuleCompiler.compile(Arrays.asList(rules)).compiledRules();
    }

    /** The one outcome of a policy made of the single rule {@code when}. */
    static RuleOutcome evaluate(String when, RuleInput input) {
        return compile(rule("r", when)).evaluate(input).get(0);
    }
}
