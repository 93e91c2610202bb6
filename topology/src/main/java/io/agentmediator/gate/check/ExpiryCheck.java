package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import java.time.Instant;
import java.util.Optional;

/** EXPIRED: an intent whose expiresAt is not after its record timestamp must never be executed. */
public final class ExpiryCheck implements RejectCheck {

    @Override
    public String name() {
        return "not-expired";
    }

    @Override
    public Optional<Rejection> check(GateInput input) {
        Instant expiresAt = input.intent().getExpiresAt();
        if (expiresAt == null || expiresAt.isAfter(input.at())) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(
                ReasonCode.EXPIRED, "the intent expired at " + expiresAt + " and arrived at " + input.at()));
    }
}
