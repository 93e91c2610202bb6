package io.agentmediator.controls;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.Operator;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.SignatureRequirement;
import io.agentmediator.signing.SignatureCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * Whether a control counts under a policy: signed by the operator it names in {@code by} (or unsigned
 * where the policy's {@code signatures.controls} is OPTIONAL; a signature given must verify all the
 * same), and later than the control in force for its scope, so a captured control replayed does not
 * undo a newer one (a SUSPEND need only be later than a RESUME less the clocks' allowed disagreement); but not dated far
 * ahead of its record or the mediator's clock, or nothing could ever be later.
 */
final class ControlJudge {

    /** How far a control's {@code at} may be ahead of its record's time: clocks that disagree by minutes, not more. */
    static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    private ControlJudge() {}

    /**
     * @param inForce    the control last accepted for {@code scope}, or null
     * @param recordTime the time of the record that carries it, which a control is judged against so that a replay of the
     *                   topic judges it alike
     * @param now        the mediator's clock: the topic keeps the times its writers give, so a control dated ahead in a
     *                   record dated alike is judged against this too. Only a control dated ahead of the clock it was
     *                   first judged by can be judged otherwise later, and such a control is refused at first
     * @return why it does not count; empty when it does
     */
    static Optional<ControlRefusal> refusal(Policy policy, String scope, Control control, Headers headers, AcceptedControl inForce,
            Instant recordTime, Instant now) {
        Optional<ControlRefusal> unauthentic = authenticity(policy, scope, control, headers);
        if (unauthentic.isPresent()) {
            return unauthentic;
        }
        Instant judgedAt = recordTime.isBefore(now) ? recordTime : now;
        if (control.at().isAfter(judgedAt.plus(MAX_AHEAD))) {
            return Optional.of(new ControlRefusal(ControlRefusal.Reason.FUTURE, control.action() + " by " + control.by() + " at "
                    + control.at() + " is dated more than " + MAX_AHEAD.toMinutes() + " minutes after its record and the"
                    + " mediator's clock (" + judgedAt + "): no later control could ever replace it; sign it again with the time it is"));
        }
        if (inForce != null && !control.at().isAfter(inForce.notBefore()) && !pullsTheSwitchAfterAResumeDatedAhead(control, inForce)) {
            Control last = inForce.control();
            return Optional.of(new ControlRefusal(ControlRefusal.Reason.STALE, control.action() + " by " + control.by() + " at "
                    + control.at() + " is not later than the " + last.action() + " by " + last.by() + " at " + last.at()
                    + (inForce.notBefore().isAfter(last.at()) ? ", which came after a control dated " + inForce.notBefore() : "")
                    + " in force"));
        }
        return Optional.empty();
    }

    /**
     * A SUSPEND dated before the RESUME in force, by no more than clocks are allowed to disagree: an operator whose clock runs
     * ahead resumed the agent, and one whose clock is right pulls the switch again, in an incident, minutes later. Refused,
     * no correct clock could stop the agent until the other's time had passed. Accepted, a copy of an older SUSPEND replayed
     * can at worst stop an agent again, never start one.
     */
    private static boolean pullsTheSwitchAfterAResumeDatedAhead(Control control, AcceptedControl inForce) {
        return control.action() == ControlAction.SUSPEND && inForce.control().action() == ControlAction.RESUME
                && control.at().isAfter(inForce.notBefore().minus(MAX_AHEAD));
    }

    /**
     * Why a control is too large to put in force, or empty: its key and {@code by} are ids, and its text, which every
     * decision taken under the switch quotes, is bounded like any record's, so a switch cannot grow those decisions
     * past what can be written.
     */
    static Optional<ControlRefusal> overLimit(InputLimits limits, String scope, Control control) {
        List<String> over = new ArrayList<>();
        if (scope.length() > limits.idMaxChars()) {
            over.add("its key has " + scope.length() + " characters, over " + ConfigKeys.LIMITS_ID_MAX_CHARS.name() + " ("
                    + limits.idMaxChars() + ")");
        }
        if (control.by().length() > limits.idMaxChars()) {
            over.add("by has " + control.by().length() + " characters, over " + ConfigKeys.LIMITS_ID_MAX_CHARS.name() + " ("
                    + limits.idMaxChars() + ")");
        }
        long text = (long) scope.length() + control.by().length() + control.reason().length();
        if (text > limits.textMaxChars()) {
            over.add("its key, by and reason have " + text + " characters together, over " + ConfigKeys.LIMITS_TEXT_MAX_CHARS.name()
                    + " (" + limits.textMaxChars() + ")");
        }
        return over.isEmpty()
                ? Optional.empty()
                : Optional.of(new ControlRefusal(ControlRefusal.Reason.OVER_LIMIT, control.action() + ": " + String.join("; ", over)));
    }

    /** The refusal of a tombstone, which can carry no signed control: empty where unsigned controls count. */
    static Optional<ControlRefusal> tombstone(Policy policy) {
        return policy.signatures().controls() == SignatureRequirement.OPTIONAL
                ? Optional.empty()
                : Optional.of(new ControlRefusal(ControlRefusal.Reason.UNSIGNED,
                        "a tombstone cannot be signed, and the policy requires signed controls: publish a signed RESUME"));
    }

    private static Optional<ControlRefusal> authenticity(Policy policy, String scope, Control control, Headers headers) {
        String what = control.action() + " by " + control.by();
        if (!ControlSignatures.signed(headers)) {
            return policy.signatures().controls() == SignatureRequirement.OPTIONAL
                    ? Optional.empty()
                    : Optional.of(new ControlRefusal(ControlRefusal.Reason.UNSIGNED, what + " is not signed, and the policy requires"
                            + " signed controls"));
        }
        Optional<Operator> operator = policy.operator(control.by());
        if (operator.isEmpty()) {
            return Optional.of(new ControlRefusal(ControlRefusal.Reason.UNKNOWN_OPERATOR, what + " is signed, but " + control.by()
                    + " is not among the policy's operators"));
        }
        SignatureCheck check = ControlSignatures.verify(scope, control, headers, operator.get().publicKey());
        return check.valid()
                ? Optional.empty()
                : Optional.of(new ControlRefusal(ControlRefusal.Reason.SIGNATURE_INVALID, what + ": " + check.reason()));
    }
}
