package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import java.util.Optional;

/**
 * KEY_MISMATCH: the record key must be the agent id. The gate is partitioned by key, so an
 * intent under another key would be decided beside the wrong agent's budget and rate.
 */
public final class KeyMatchCheck implements RejectCheck {

    @Override
    public String name() {
        return "key-matches-agent";
    }

    @Override
    public Optional<Rejection> check(GateInput input) {
        String agentId = input.intent().getAgentId();
        if (agentId.equals(input.key())) {
            return Optional.empty();
        }
        String key = input.key() == null ? "no key" : "key \"" + input.key() + "\"";
        return Optional.of(new Rejection(
                ReasonCode.KEY_MISMATCH,
                "the record has " + key + " but the intent's agentId is \"" + agentId + "\"; produce intents keyed by agentId"));
    }
}
