package io.agentmediator.controls;

import java.util.Objects;

/** Why a record on the controls topic changed nothing, for the log line and the metric. */
public record ControlRefusal(Reason reason, String message) {

    /** The {@code reason} label of {@code mediator_controls_refused_total}. */
    public enum Reason {
        /** Not a control: not JSON, a missing field, an unknown action, no key. */
        UNREADABLE,
        /**
         * A key or {@code by} longer than {@code limits.id.max.chars}, more text than {@code limits.text.max.chars}, or a record
         * larger than the producer's {@code max.request.size} (as read, or as it would be passed on).
         */
        OVER_LIMIT,
        /** No signature, while the policy requires signed controls (a tombstone can carry none). */
        UNSIGNED,
        /** {@code by} names nobody among the policy's operators. */
        UNKNOWN_OPERATOR,
        /** A signature that does not verify with the key of the operator it names. */
        SIGNATURE_INVALID,
        /** Not later than the control in force for its scope: a replay of an older one, or a clock behind. */
        STALE,
        /**
         * Dated more than {@link ControlJudge#MAX_AHEAD} after its record's time or the mediator's clock: a clock far ahead,
         * a typo in the year, or a leaked operator key.
         * Accepted, no control could be later than it, so its switch could never be moved again by a signed control.
         */
        FUTURE
    }

    public ControlRefusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
