package io.agentmediator.policyreload;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.text.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * The strings of a policy document, bounded as the input limits bound an intent's: its version, ids and the names decisions
 * and keys quote (tiers, pools, owners, departments) at most {@code limits.id.max.chars}; every other string (a glob, a data
 * class, a rule's condition or message) at most {@code limits.text.max.chars}, as an intent's action, target and data
 * classes are. A pool's id is the key of every claim on it; the version, tiers and rule ids are in every decision: longer,
 * they could make records larger than the producer sends, and a stream thread stops on such a record at every retry; for
 * the same reason what the rules add to every case file is bounded ({@link #RULES_MAX_CASE_FILE_BYTES}). What reasons quote of the rest
 * (messages, lists, evaluated values) is bounded where a verdict is made.
 */
public final class PolicyStringLimits {

    /** The fields that are ids or names: quoted in keys and decisions, and matched against ids that intake bounds. */
    private static final Set<String> NAME_FIELDS =
            Set.of("id", "version", "tier", "tiers", "pool", "owner", "department", "crossDepartmentTier", "conflictTier");

    private final Bound id;
    private final Bound text;

    public PolicyStringLimits(InputLimits limits) {
        this.id = new Bound(limits.idMaxChars(), ConfigKeys.LIMITS_ID_MAX_CHARS.name());
        this.text = new Bound(limits.textMaxChars(), ConfigKeys.LIMITS_TEXT_MAX_CHARS.name());
    }

    /** {@link #problems(PolicyDocument)} of {@code policy} as it would be published. */
    public List<String> problems(Policy policy) {
        return problems(PolicyCodec.toAvro(policy));
    }

    /** "{@code what} is N characters, more than the M of limits.id.max.chars", when {@code id} is longer than any id. */
    public Optional<String> idOverLimit(String what, String id) {
        List<String> problems = new ArrayList<>(1);
        check(id, what, this.id, problems);
        return problems.stream().findFirst();
    }

    /**
     * The most a policy's rules may add to every case file, in bytes ({@link #caseFileBytes(String)} each). Every case file
     * lists every rule (a check named {@code rule:<id>} naming the rule again) and a decision names each rule that fired,
     * outside the budget that bounds what reasons quote: two thousand rules with ids of 255 three-byte characters made a
     * case file of 3 MB, and forty thousand rules with three-character ids would have made one of megabytes too; the
     * producer refuses such a record and the executed-cases store's changelog cannot take it, and a stream thread stops
     * on that at every retry.
     */
    public static final int RULES_MAX_CASE_FILE_BYTES = 256 * 1024;

    /**
     * What one rule adds at most to a case file beyond the quoted texts' budget: its id in UTF-8 three times (the check's
     * name and rule, the decision's reason) and the fields around them.
     */
    public static int caseFileBytes(String ruleId) {
        return 3 * Utils.utf8Length(ruleId) + 64;
    }

    /** One problem per string over its limit, naming where it is, and one when the rules are too many; empty when none is. */
    public List<String> problems(PolicyDocument document) {
        List<String> problems = new ArrayList<>();
        walk(document, "", problems);
        long rulesBytes = document.getRules().stream().mapToLong(rule -> caseFileBytes(rule.getId())).sum();
        if (rulesBytes > RULES_MAX_CASE_FILE_BYTES) {
            problems.add("rules: the " + document.getRules().size() + " rules would add " + rulesBytes + " bytes to every case"
                    + " file, which lists every rule by its id, more than the " + RULES_MAX_CASE_FILE_BYTES + " a policy's rules"
                    + " may (three times each id's bytes and 64 more a rule): fewer rules, or shorter ids");
        }
        return problems;
    }

    private void walk(IndexedRecord record, String path, List<String> problems) {
        for (Schema.Field field : record.getSchema().getFields()) {
            String at = path.isEmpty() ? field.name() : path + "." + field.name();
            value(record.get(field.pos()), at, NAME_FIELDS.contains(field.name()) ? id : text, problems);
        }
    }

    private void value(Object value, String at, Bound bound, List<String> problems) {
        if (value instanceof CharSequence chars) {
            check(chars, at, bound, problems);
        } else if (value instanceof IndexedRecord nested) {
            walk(nested, at, problems);
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                value(list.get(i), at + "[" + i + "]", bound, problems);
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                check(key, at + " key", bound, problems);
                value(entry.getValue(), at + "[" + Printable.escape(key, 40) + "]", bound, problems);
            }
        }
    }

    private static void check(CharSequence chars, String at, Bound bound, List<String> problems) {
        if (chars.length() > bound.chars()) {
            problems.add(at + " is " + chars.length() + " characters, more than the " + bound.chars() + " of " + bound.key());
        }
    }

    private record Bound(int chars, String key) {}
}
