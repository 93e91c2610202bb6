package io.agentmediator.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Binds the policy's {@code rules}. The CEL condition is kept as text here; it is compiled where
 * rules are evaluated.
 */
final class RuleBinder {

    static final List<String> RULE_KEYS = List.of("id", "when", "effect", "tier", "mode", "message");

    private final Problems problems;
    private final Tiers tiers;
    private final UniqueIds ruleIds;

    RuleBinder(Problems problems, Tiers tiers) {
        this.problems = problems;
        this.tiers = tiers;
        this.ruleIds = new UniqueIds(problems, "rule id");
    }

    List<Rule> rules(Fields document) {
        List<Rule> rules = new ArrayList<>();
        for (PolicyNode item : document.sequence("rules")) {
            Fields rule = Fields.of(item, problems, RULE_KEYS);
            if (rule != null) {
                int before = problems.count();
                Rule bound = rule(rule);
                if (problems.count() == before) {
                    rules.add(bound);
                }
            }
        }
        return rules;
    }

    private Rule rule(Fields rule) {
        String id = rule.requiredString("id");
        if (id != null) {
            ruleIds.add(id, rule.node("id"));
        }
        String when = rule.requiredString("when");
        RuleEffect effect = rule.requiredEnum("effect", RuleEffect.class, "effect");
        String tier = tiers.reference(rule, "tier");
        RuleMode mode = rule.enumValue("mode", RuleMode.class, "mode");
        String message = rule.string("message");
        if (effect == RuleEffect.ESCALATE && rule.node("tier") == null) {
            rule.missing("tier", "an ESCALATE rule needs the tier to escalate to");
        }
        if (effect == RuleEffect.REJECT && tier != null) {
            rule.problem("tier", "a REJECT rule has no tier; only ESCALATE rules escalate");
        }
        if (id == null || when == null || effect == null) {
            return null;
        }
        return new Rule(id, when, effect, tier, mode == null ? RuleMode.ENFORCE : mode, message);
    }
}
