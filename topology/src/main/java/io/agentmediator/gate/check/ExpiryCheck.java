package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * EXPIRED: an intent whose expiresAt is not after its record timestamp must never be executed, and
 * neither may one that claims a resource for a window that has already ended when it is decided:
 * executing it would commit something that holds nothing, so the agent is told which window passed.
 */
public final class ExpiryCheck implements RejectCheck {

    public static final String NAME = "not-expired";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Rejection> check(GateInput input) {
        Instant expiresAt = input.intent().getExpiresAt();
        if (expiresAt != null && !expiresAt.isAfter(input.at())) {
            return Optional.of(new Rejection(
                    ReasonCode.EXPIRED, "the intent expired at " + expiresAt + " and arrived at " + input.at()));
        }
        List<ResourceClaim> claims = input.intent().getClaims();
        for (int i = 0; i < claims.size(); i++) {
            ResourceClaim claim = claims.get(i);
            if (claim.getUntil() != null && !claim.getUntil().isAfter(input.at())) {
                return Optional.of(new Rejection(ReasonCode.EXPIRED, "claims[" + i + "] on " + claim.getResourceId()
                        + " is for [" + (claim.getFrom() == null ? "decision" : claim.getFrom()) + ", " + claim.getUntil()
                        + "), which ended before the intent was decided at " + input.at() + "; it would hold nothing"));
            }
        }
        return Optional.empty();
    }
}
