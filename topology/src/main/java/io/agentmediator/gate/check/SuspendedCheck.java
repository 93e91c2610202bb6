package io.agentmediator.gate.check;

import io.agentmediator.controls.Suspension;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import java.time.Instant;
import java.util.Optional;

/**
 * AGENT_SUSPENDED: the kill switch. A suspended agent's every intent is rejected: one the policy
 * marks {@code suspended: true}, or one an operator suspended on the controls topic (itself or every agent); and an
 * intent that arrived before such a switch was pulled and is decided after it (it waited for its dependencies, or
 * behind a backlog), though the switch is lifted now.
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
        if (input.agent().suspended()) {
            return Optional.of(new Rejection(
                    ReasonCode.AGENT_SUSPENDED,
                    "agent \"" + input.agent().id() + "\" is suspended in policy " + input.policy().version()));
        }
        // Sent before the switch was pulled and decided after it (behind a backlog, or waiting for its dependencies), it is
        // what the agent had queued while it ran: lifting the switch lets through what the agent sends since, not that.
        Instant arrived = input.resumed() ? input.waitingSince() : input.at();
        return suspensions.switchedSince(input.agent().id(), arrived).map(at -> new Rejection(ReasonCode.AGENT_SUSPENDED,
                "agent \"" + input.agent().id() + "\" was suspended at " + at + " (a switch lifted since), after this intent arrived"
                        + " at " + arrived));
    }
}
