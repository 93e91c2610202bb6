package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import java.util.Optional;

/** A check that can only reject. The first one that rejects decides the intent. */
public interface RejectCheck {

    /** The check's name in the case file, e.g. {@code well-formed}. */
    String name();

    Optional<Rejection> check(GateInput input);
}
