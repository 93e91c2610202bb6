package io.agentmediator.policy;

import io.agentmediator.rules.RuleLimits;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Settings that apply to every agent. The tiers are already resolved: an unset
 * {@code crossDepartmentTier} is the policy's highest tier and an unset {@code conflictTier} its lowest,
 * so the gate never has to know the defaulting rules. Both are null only when the policy has no tiers.
 *
 * @param zone              calendar budget windows are aligned in this zone
 * @param minConfidence     below this an intent escalates LOW_CONFIDENCE at the lowest tier
 * @param escalationTimeout unanswered escalations are rejected after this
 * @param dependencyTimeout intents waiting on their dependencies give up after this
 * @param ruleLimits        what evaluating one rule for one intent may spend ({@code ruleCostLimit},
 *                          {@code ruleSizeLimit}); in the policy rather than the mediator's configuration
 *                          because the limits belong with the rules they bound: {@code policy validate},
 *                          backtest and every instance then hold the same rules to the same limits
 * @param intentIdPrefix    whether an intent's id must start with its agent's id ({@link IntentIdPrefix})
 */
public record PolicyDefaults(ZoneId zone, double minConfidence, Duration escalationTimeout,
                             Duration dependencyTimeout, String crossDepartmentTier, String conflictTier,
                             RuleLimits ruleLimits, IntentIdPrefix intentIdPrefix) {

    /** UTC as an IANA region id, not {@code ZoneOffset.UTC}: its id "UTC" survives a trip through the policy topic. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");
    public static final double DEFAULT_MIN_CONFIDENCE = 0.0;
    public static final Duration DEFAULT_ESCALATION_TIMEOUT = Duration.ofHours(4);
    public static final Duration DEFAULT_DEPENDENCY_TIMEOUT = Duration.ofHours(24);

    public PolicyDefaults {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(escalationTimeout, "escalationTimeout");
        Objects.requireNonNull(dependencyTimeout, "dependencyTimeout");
        Objects.requireNonNull(ruleLimits, "ruleLimits");
        Objects.requireNonNull(intentIdPrefix, "intentIdPrefix");
    }
}
