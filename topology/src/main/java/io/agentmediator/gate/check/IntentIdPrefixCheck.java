package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.policy.IntentIdPrefix;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ReasonCode;
import java.util.Optional;

/**
 * MALFORMED: under the policy's {@code defaults.intentIdPrefix: AGENT}, an intent whose id does not start with its own
 * agent's id and {@link IntentIdPrefix#SEPARATOR}, with more after it. Only then does an id name one agent, so that no other
 * agent can decide it first, take its case file, or complete what depends on it.
 */
public final class IntentIdPrefixCheck implements RejectCheck {

    @Override
    public String name() {
        return "intent-id-names-agent";
    }

    @Override
    public Optional<Rejection> check(GateInput input) {
        AgentIntent intent = input.intent();
        return input.policy().defaults().intentIdPrefix().required(intent.getAgentId())
                .filter(prefix -> !(intent.getIntentId().startsWith(prefix) && intent.getIntentId().length() > prefix.length()))
                .map(prefix -> new Rejection(ReasonCode.MALFORMED, "malformed intent: intentId must start with \"" + prefix
                        + "\" and go on after it, as policy " + input.policy().version() + " (defaults.intentIdPrefix AGENT) requires"
                        + " of agent \"" + intent.getAgentId() + "\"'s intents"));
    }
}
