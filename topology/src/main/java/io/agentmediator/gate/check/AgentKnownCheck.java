package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import java.util.Optional;

/** UNKNOWN_AGENT: only agents the policy lists may act. */
public final class AgentKnownCheck implements RejectCheck {

    @Override
    public String name() {
        return "agent-known";
    }

    @Override
    public Optional<Rejection> check(GateInput input) {
        if (input.agent() != null) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(
                ReasonCode.UNKNOWN_AGENT,
                "agent \"" + input.intent().getAgentId() + "\" is not in policy " + input.policy().version()));
    }
}
