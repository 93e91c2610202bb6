package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * EXPIRED: a signed intent may not stay valid for longer than the mediator remembers its id. The
 * dedupe store answers a resend of the same signed bytes DUPLICATE for {@code dedupe.retention} after
 * the intent arrived (broker time); after that only its {@code expiresAt}, which the signature covers,
 * stops it from being decided again. So an {@code expiresAt} further ahead than the retention would
 * leave a gap in which a captured intent could be replayed and executed twice; it is refused, and the
 * agent told how far ahead it may sign. Intents of agents without a key prove nothing about who sent
 * them, so there is nothing to replay.
 */
public final class ReplayWindowCheck implements RejectCheck {

    private final Duration dedupeRetention;

    public ReplayWindowCheck(Duration dedupeRetention) {
        this.dedupeRetention = dedupeRetention;
    }

    @Override
    public String name() {
        return "expiry-within-replay-window";
    }

    @Override
    public Optional<Rejection> check(GateInput input) {
        Instant expiresAt = input.intent().getExpiresAt();
        if (input.agent().publicKey() == null || expiresAt == null) {
            return Optional.empty();
        }
        Instant latest = input.at().plus(dedupeRetention);
        if (!expiresAt.isAfter(latest)) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(ReasonCode.EXPIRED, "expiresAt " + expiresAt + " is more than dedupe.retention ("
                + dedupeRetention + ") after the intent arrived at " + input.at() + ": the mediator forgets intent ids after that, so"
                + " these signed bytes could be replayed and executed again; sign an expiresAt no later than " + latest));
    }
}
