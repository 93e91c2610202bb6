package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import java.util.Optional;

/** A check that can only ask for a human. Escalations accumulate; the highest tier wins. */
public interface EscalationCheck {

    /** The check's name in the case file, e.g. {@code authority}. */
    String name();

    Optional<Escalation> check(GateInput input);
}
