package io.agentmediator.policy;

import io.agentmediator.keys.StoreKeys;
import io.agentmediator.rules.CompiledRules;
import io.agentmediator.rules.RuleLimits;
import java.text.Normalizer;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link PolicyNode} tree into a {@link Policy}, finding every problem on the way. This is
 * the one place a policy is validated, whether it came from a YAML file or from the policy topic.
 * Parts are read in dependency order (tiers and pools before what refers to them), whatever order
 * the document lists them in.
 */
final class PolicyBinder {

    static final List<String> DOCUMENT_KEYS = List.of("version", "defaults", "tiers", "agents", "pools",
            "resources", "dataFlows", "approvers", "executors", "operators", "signatures", "rules");
    static final List<String> DEFAULTS_KEYS = List.of("zone", "minConfidence", "escalationTimeout",
            "dependencyTimeout", "crossDepartmentTier", "conflictTier", "ruleCostLimit", "ruleSizeLimit", "intentIdPrefix");
    static final List<String> RESOURCE_KEYS = List.of("pattern", "capacity");

    private final Problems problems;

    private PolicyBinder(Problems problems) {
        this.problems = problems;
    }

    /** The policy of {@code root}, or all problems: {@code problems} may already hold some from reading the tree. */
    static PolicyParseResult bind(PolicyNode root, Problems problems) {
        Policy policy = root == null ? null : new PolicyBinder(problems).policy(root);
        return problems.isEmpty()
                ? PolicyParseResult.valid(policy, problems.warnings())
                : PolicyParseResult.invalid(problems.inDocumentOrder());
    }

    private Policy policy(PolicyNode root) {
        Fields document = Fields.of(root, problems, DOCUMENT_KEYS);
        if (document == null) {
            return null;
        }
        String version = document.requiredString("version");
        Tiers tiers = Tiers.read(document, problems);
        PolicyDefaults defaults = defaults(document.mapping("defaults", DEFAULTS_KEYS), tiers);
        UniqueIds poolIds = new UniqueIds(problems, "pool id");
        Map<String, BudgetPool> pools = new BudgetBinder(problems).pools(document, poolIds);
        Map<String, AgentProfile> agents = new AgentBinder(problems, poolIds, defaults.intentIdPrefix()).agents(document);
        List<ResourceCapacity> resources = resources(document);
        Map<String, List<String>> dataFlows = dataFlows(document);
        SignerBinder signers = new SignerBinder(problems);
        List<Approver> approvers = signers.approvers(document, tiers);
        List<Executor> executors = signers.executors(document);
        List<Operator> operators = signers.operators(document);
        SignatureRules signatures = signers.signatures(document, !operators.isEmpty());
        CompiledRules rules = new RuleBinder(problems, tiers, defaults.ruleLimits()).rules(document);
        if (!problems.isEmpty()) {
            return null;
        }
        return new Policy(version, defaults, tiers.declared(), agents, pools, resources, dataFlows, approvers,
                executors, operators, signatures, rules.rules(), rules);
    }

    private PolicyDefaults defaults(Fields defaults, Tiers tiers) {
        if (defaults == null) {
            return new PolicyDefaults(PolicyDefaults.DEFAULT_ZONE, PolicyDefaults.DEFAULT_MIN_CONFIDENCE,
                    PolicyDefaults.DEFAULT_ESCALATION_TIMEOUT, PolicyDefaults.DEFAULT_DEPENDENCY_TIMEOUT,
                    tiers.highest(), tiers.lowest(), RuleLimits.DEFAULT, IntentIdPrefix.NONE);
        }
        ZoneId zone = zone(defaults);
        Double minConfidence = defaults.number("minConfidence");
        if (minConfidence != null && !(minConfidence >= 0 && minConfidence <= 1)) {
            defaults.problem("minConfidence", "must be between 0 and 1, found " + minConfidence);
        }
        Duration escalationTimeout = duration(defaults, "escalationTimeout");
        Duration dependencyTimeout = duration(defaults, "dependencyTimeout");
        String crossDepartmentTier = tiers.reference(defaults, "crossDepartmentTier");
        String conflictTier = tiers.reference(defaults, "conflictTier");
        Long costLimit = bounded(defaults, "ruleCostLimit", RuleLimits.MAX_COST_LIMIT);
        Long sizeLimit = bounded(defaults, "ruleSizeLimit", RuleLimits.MAX_SIZE_LIMIT);
        IntentIdPrefix intentIdPrefix = defaults.enumValue("intentIdPrefix", IntentIdPrefix.class, "intent id prefix");
        return new PolicyDefaults(
                zone == null ? PolicyDefaults.DEFAULT_ZONE : zone,
                minConfidence == null ? PolicyDefaults.DEFAULT_MIN_CONFIDENCE : minConfidence,
                escalationTimeout == null ? PolicyDefaults.DEFAULT_ESCALATION_TIMEOUT : escalationTimeout,
                dependencyTimeout == null ? PolicyDefaults.DEFAULT_DEPENDENCY_TIMEOUT : dependencyTimeout,
                crossDepartmentTier == null ? tiers.highest() : crossDepartmentTier,
                conflictTier == null ? tiers.lowest() : conflictTier,
                new RuleLimits(costLimit == null ? RuleLimits.DEFAULT_COST_LIMIT : costLimit,
                        sizeLimit == null ? RuleLimits.DEFAULT_SIZE_LIMIT : sizeLimit.intValue()),
                intentIdPrefix == null ? IntentIdPrefix.NONE : intentIdPrefix);
    }

    /** A limit of at least 1 and at most {@code ceiling}, which no policy may raise. */
    private static Long bounded(Fields defaults, String key, long ceiling) {
        Long value = defaults.integer(key);
        if (value != null && (value < 1 || value > ceiling)) {
            defaults.problem(key, "must be between 1 and " + ceiling + ", found " + value);
            return null;
        }
        return value;
    }

    /** Region ids only: a fixed offset would silently ignore daylight saving when windows are aligned. */
    private ZoneId zone(Fields defaults) {
        String zone = defaults.string("zone");
        if (zone == null) {
            return null;
        }
        if (!ZoneId.getAvailableZoneIds().contains(zone)) {
            defaults.problem("zone",
                    "unknown time zone \"" + zone + "\" (expected an IANA id such as UTC or Europe/Berlin)");
            return null;
        }
        return ZoneId.of(zone);
    }

    private Duration duration(Fields defaults, String key) {
        String text = defaults.string(key);
        if (text == null) {
            return null;
        }
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            defaults.problem(key, "not an ISO-8601 duration such as PT4H or P1D: \"" + text + "\"");
            return null;
        }
        if (duration.isNegative() || duration.isZero()) {
            defaults.problem(key, "must be longer than zero, found " + text);
            return null;
        }
        if (duration.compareTo(StoreKeys.LONGEST_DURATION) > 0) {
            defaults.problem(key, "must be at most P36500D (100 years), found " + text
                    + ": it is added to each intent's time to make its deadline");
            return null;
        }
        return duration;
    }

    private List<ResourceCapacity> resources(Fields document) {
        List<ResourceCapacity> resources = new ArrayList<>();
        UniqueIds patterns = new UniqueIds(problems, "resource pattern");
        for (PolicyNode item : document.sequence("resources")) {
            Fields resource = Fields.of(item, problems, RESOURCE_KEYS);
            if (resource == null) {
                continue;
            }
            String pattern = resource.requiredString("pattern");
            if (pattern != null) {
                patterns.add(pattern, resource.node("pattern"));
                if (!Normalizer.isNormalized(pattern, Normalizer.Form.NFC)) {
                    // Claims name their resources in NFC (or are rejected MALFORMED): a pattern in another form matches none.
                    resource.problem("pattern", "is not in Unicode normalization form C (NFC), as claims' resource ids must be,"
                            + " so it would match none of them");
                }
            }
            Long capacity = resource.integer("capacity");
            if (capacity != null && capacity < 1) {
                resource.problem("capacity", "must be at least 1, found " + capacity);
            }
            if (pattern != null) {
                resources.add(new ResourceCapacity(pattern, capacity == null ? Policy.DEFAULT_CAPACITY : capacity));
            }
        }
        return resources;
    }

    private Map<String, List<String>> dataFlows(Fields document) {
        Map<String, List<String>> dataFlows = new LinkedHashMap<>();
        PolicyNode node = document.node("dataFlows");
        Fields flows = node == null ? null : Fields.anyKeys(node, problems);
        if (flows != null) {
            for (String dataClass : flows.keys()) {
                dataFlows.put(dataClass, flows.strings(dataClass));
            }
        }
        return dataFlows;
    }
}
