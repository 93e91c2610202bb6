package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import java.util.Optional;

/** UNKNOWN_AGENT: only agents the policy lists may act. */
public final class AgentKnownCheck implements RejectCheck {

    /** The check's name in case files, also where dropping the agent from the policy overrules the resource ledger's answer. */
    public static final String NAME = "agent-known";

    @Override
    public String name() {
        return NAME;
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
