package io.agentmediator.policy;

import io.agentmediator.audit.AuditKeys;
import java.util.Optional;

/**
 * The policy's {@code defaults.intentIdPrefix}: whether an intent's id must name its agent. Ids are otherwise one namespace
 * across agents, so one agent of the policy, signing with its own key, could decide an id another is about to use and take
 * its case file, its answers' routing and the dependencies waiting on it.
 */
public enum IntentIdPrefix {
    /** Any id: ids are one namespace across agents, as before the setting existed. The default. */
    NONE,
    /** Every intent's id starts with its agent's id and {@link #SEPARATOR}, and has more after it. */
    AGENT;

    /**
     * Between the agent id and the rest of an intent id. Not {@code /}: intent ids travel as one path segment of the HTTP
     * queries ({@code /cases/{intentId}}, {@code /owners/{intentId}}), where {@code :} may stand unencoded.
     */
    public static final String SEPARATOR = ":";

    /** What every intent id of {@code agentId} must start with; empty when any id will do. */
    public Optional<String> required(String agentId) {
        return this == AGENT ? Optional.of(agentId + SEPARATOR) : Optional.empty();
    }

    /**
     * Why {@code agentId} cannot be an agent's id under this setting; empty when it can. With the separator in it, another
     * agent's prefix would start its ids ("a" writing "a:b:x", an id of agent "a:b"); and no id may start with one of the
     * audit keys the mediator files its own records under, so an agent whose prefix is one could send no intent at all.
     */
    public Optional<String> agentIdProblem(String agentId) {
        if (this == NONE) {
            return Optional.empty();
        }
        if (agentId.contains(SEPARATOR)) {
            return Optional.of("contains \"" + SEPARATOR + "\", which defaults.intentIdPrefix AGENT puts between the agent id and"
                    + " the rest of an intent id: another agent's ids could then start with this agent's prefix");
        }
        return AuditKeys.reservedForm(agentId + SEPARATOR)
                .map(reserved -> "cannot prefix intent ids under defaults.intentIdPrefix AGENT: " + reserved);
    }
}
