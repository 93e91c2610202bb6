package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import java.util.Optional;

/** AGENT_SUSPENDED: the kill switch. A suspended agent's every intent is rejected. */
public final class SuspendedCheck implements RejectCheck {

    @Override
    public String name() {
        return "not-suspended";
    }

    @Override
    public Optional<Rejection> check(GateInput input) {
        if (!input.agent().suspended()) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(
                ReasonCode.AGENT_SUSPENDED,
                "agent \"" + input.agent().id() + "\" is suspended in policy " + input.policy().version()));
    }
}
