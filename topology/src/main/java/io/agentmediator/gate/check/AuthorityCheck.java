package io.agentmediator.gate.check;

import io.agentmediator.budget.Money;
import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import java.util.Optional;

/** OVER_AUTHORITY: a commitment above what the agent may commit on its own goes to the first tier. */
public final class AuthorityCheck implements EscalationCheck {

    @Override
    public String name() {
        return "authority";
    }

    @Override
    public Optional<Escalation> check(GateInput input) {
        Long max = input.agent().maxCommitmentMicros();
        long commitment = input.intent().getCommitmentMicros();
        if (max == null || commitment <= max) {
            return Optional.empty();
        }
        return Optional.of(new Escalation(ReasonCode.OVER_AUTHORITY, null,
                "commits " + Money.format(commitment) + ", above the " + Money.format(max)
                        + " agent \"" + input.agent().id() + "\" may commit on its own",
                input.policy().lowestTier()));
    }
}
