package io.agentmediator.controls;

import io.agentmediator.schema.ReasonCode;
import java.util.Objects;

/**
 * Why an agent may no longer finish what it started (an intent waiting for its claims, an open
 * escalation): suspended ({@link ReasonCode#AGENT_SUSPENDED}) or no longer listed by the policy in
 * force ({@link ReasonCode#UNKNOWN_AGENT}), the codes the gate rejects its new intents with.
 *
 * @param code   the reason code of the rejection that closes what the agent had open
 * @param phrase what follows "agent X was": {@code suspended by alice at ...: runaway spending}, {@code dropped by policy v8}
 */
public record AgentBar(ReasonCode code, String phrase) {

    public AgentBar {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(phrase, "phrase");
    }

    /** {@code agent "X" was <phrase> while <meanwhile>}, the sentence of the rejection. */
    public String sentence(String agentId, String meanwhile) {
        return "agent \"" + agentId + "\" was " + phrase + " while " + meanwhile;
    }
}
