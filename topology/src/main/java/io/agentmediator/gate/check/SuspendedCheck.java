package io.agentmediator.gate.check;

import io.agentmediator.controls.Suspension;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import java.util.Optional;

/**
 * AGENT_SUSPENDED: the kill switch. A suspended agent's every intent is rejected: one the policy
 * marks {@code suspended: true}, or one an operator suspended on the controls topic (itself or every agent).
 */
public final class SuspendedCheck implements RejectCheck {

    /** The check's name in case files, also where a suspension overrules the resource ledger's answer. */
    public static final String NAME = "not-suspended";

    private final Suspensions suspensions;

    public SuspendedCheck(Suspensions suspensions) {
        this.suspensions = suspensions;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Rejection> check(GateInput input) {
        Optional<Suspension> switched = suspensions.of(input.agent().id());
        if (switched.isPresent()) {
            return Optional.of(new Rejection(ReasonCode.AGENT_SUSPENDED, "agent \"" + input.agent().id() + "\": " + switched.get().describe()));
        }
        if (!input.agent().suspended()) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(
                ReasonCode.AGENT_SUSPENDED,
                "agent \"" + input.agent().id() + "\" is suspended in policy " + input.policy().version()));
    }
}
