package io.agentmediator.policy;

import java.util.List;

/**
 * The declared approver tiers, and the check that every tier the policy names elsewhere is one of
 * them: a misspelt tier would otherwise escalate to nobody.
 */
final class Tiers {

    private final List<String> declared;
    private final boolean known;

    private Tiers(List<String> declared, boolean known) {
        this.declared = declared;
        this.known = known;
    }

    /** The tiers under the document's {@code tiers} key; each must be unique. */
    static Tiers read(Fields document, Problems problems) {
        List<String> declared = document.strings("tiers");
        if (declared == null) {
            // The list itself is broken (reported): checking references against it would only add noise.
            return new Tiers(List.of(), false);
        }
        UniqueIds unique = new UniqueIds(problems, "tier");
        List<PolicyNode> nodes = document.sequence("tiers");
        for (int i = 0; i < declared.size(); i++) {
            unique.add(declared.get(i), nodes.get(i));
        }
        return new Tiers(List.copyOf(unique.ids()), true);
    }

    List<String> declared() {
        return declared;
    }

    String lowest() {
        return declared.isEmpty() ? null : declared.get(0);
    }

    String highest() {
        return declared.isEmpty() ? null : declared.get(declared.size() - 1);
    }

    /** The tier named at {@code key} of {@code fields}, reported when the policy does not declare it. */
    String reference(Fields fields, String key) {
        return checked(fields, key, fields.string(key));
    }

    /** As {@link #reference}, and reported when absent. */
    String requiredReference(Fields fields, String key) {
        return checked(fields, key, fields.requiredString(key));
    }

    private String checked(Fields fields, String key, String tier) {
        if (tier == null || !known || declared.contains(tier)) {
            return tier;
        }
        if (declared.isEmpty()) {
            fields.problem(key, "tier \"" + tier + "\" is not declared: the policy has no tiers"
                    + " (add tiers: [" + tier + ", ...])");
        } else {
            fields.problem(key, "unknown tier \"" + tier + "\" (tiers are " + String.join(", ", declared) + ")");
        }
        return tier;
    }
}
