package io.agentmediator.gate;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.text.Printable;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * When an intent waiting for its dependencies can no longer go ahead whatever they do: its {@code expiresAt}, or the end
 * of the earliest window it claims, whichever comes first. Woken after it, the gate would reject it {@code EXPIRED}; until
 * then it would take one of the agent's waiting places ({@code limits.waiting.max}) for nothing.
 *
 * @param at   the instant
 * @param what what ends then, for the sentence that rejects it
 */
record WaitExpiry(Instant at, String what) {

    /** The intent's expiry when it comes before {@code timeoutAt}, when its wait would end anyway; else empty. */
    static Optional<WaitExpiry> before(AgentIntent intent, Instant timeoutAt) {
        Stream<WaitExpiry> expiry = intent.getExpiresAt() == null ? Stream.empty()
                : Stream.of(new WaitExpiry(intent.getExpiresAt(), "its expiresAt"));
        Stream<WaitExpiry> windows = intent.getClaims().stream().filter(claim -> claim.getUntil() != null)
                .map(claim -> new WaitExpiry(claim.getUntil(), "the end of its claim on " + Printable.escape(claim.getResourceId())));
        return Stream.concat(expiry, windows).min(Comparator.comparing(WaitExpiry::at)).filter(first -> first.at().isBefore(timeoutAt));
    }

    /** The earlier of {@code timeoutAt} and the intent's expiry. */
    static Instant giveUpAt(AgentIntent intent, Instant timeoutAt) {
        return before(intent, timeoutAt).map(WaitExpiry::at).orElse(timeoutAt);
    }
}
