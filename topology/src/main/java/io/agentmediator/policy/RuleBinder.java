package io.agentmediator.policy;

import io.agentmediator.rules.Rule;
import io.agentmediator.rules.RuleEffect;
import io.agentmediator.rules.RuleMode;
import io.agentmediator.rules.CompiledRules;
import io.agentmediator.rules.RuleCompileError;
import io.agentmediator.rules.RuleCompileResult;
import io.agentmediator.rules.RuleCompiler;
import io.agentmediator.rules.RuleLimits;
import io.agentmediator.rules.RuleWarning;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds the policy's {@code rules} and compiles their CEL conditions, once per policy: a condition
 * that does not compile makes the whole policy invalid, reported at its {@code when} with the rule id.
 */
final class RuleBinder {

    static final List<String> RULE_KEYS = List.of("id", "when", "effect", "tier", "mode", "message");

    private final Problems problems;
    private final Tiers tiers;
    private final UniqueIds ruleIds;
    private final RuleLimits limits;

    RuleBinder(Problems problems, Tiers tiers, RuleLimits limits) {
        this.problems = problems;
        this.tiers = tiers;
        this.limits = limits;
        this.ruleIds = new UniqueIds(problems, "rule id");
    }

    /** The rules compiled, or null when one does not compile; only rules otherwise sound are compiled. */
    CompiledRules rules(Fields document) {
        List<Rule> rules = new ArrayList<>();
        List<PolicyNode> conditions = new ArrayList<>();
        for (PolicyNode item : document.sequence("rules")) {
            Fields rule = Fields.of(item, problems, RULE_KEYS);
            if (rule != null) {
                int before = problems.count();
                Rule bound = rule(rule);
                if (problems.count() == before) {
                    rules.add(bound);
                    conditions.add(rule.node("when"));
                }
            }
        }
        RuleCompileResult compiled = RuleCompiler.compile(rules, limits);
        for (RuleCompileError error : compiled.errors()) {
            problems.at(conditions.get(error.ruleIndex()), message(error));
        }
        for (RuleWarning warning : compiled.warnings()) {
            problems.warnAt(conditions.get(warning.ruleIndex()), warning.toString());
        }
        return compiled.isValid() ? compiled.compiledRules() : null;
    }

    /** {@code rule "r" does not compile at 1:8: undeclared reference to 'intnet'}, placed within the condition. */
    private static String message(RuleCompileError error) {
        String place = error.line() > 0 ? " at " + error.line() + ":" + error.column() : "";
        return "rule \"" + error.ruleId() + "\" does not compile" + place + ": " + error.message();
    }

    private Rule rule(Fields rule) {
        String id = rule.requiredString("id");
        if (id != null) {
            ruleIds.add(id, rule.node("id"));
        }
        String when = rule.requiredString("when");
        if (when != null && !Normalizer.isNormalized(when, Normalizer.Form.NFC)) {
            // Claims' resource ids are NFC or rejected, and rules are read by people who cannot see the difference: a text
            // in a condition spelled with other code points would equal no resource id, and a rule that never fires fails open.
            rule.problem("when", "is not in Unicode normalization form C (NFC), as claims' resource ids must be, so a text in it"
                    + " would equal none of them: save the policy NFC-normalized, or write the character as a CEL escape (\\u00E9)");
        }
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
