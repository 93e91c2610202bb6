package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.signing.IntentSignatures;
import java.util.Optional;

/**
 * SIGNATURE_INVALID: an agent with a registered key must sign the exact bytes it sent. Without a
 * registered key there is nothing to check.
 */
public final class SignedIntentCheck implements RejectCheck {

    @Override
    public String name() {
        return "signature";
    }

    @Override
    public Optional<Rejection> check(GateInput input) {
        if (input.agent().publicKey() == null) {
            return Optional.empty();
        }
        var result = IntentSignatures.verify(input.rawValue(), input.headers(), input.agent().id(), input.agent().publicKey());
        if (result.valid()) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(ReasonCode.SIGNATURE_INVALID,
                "agent \"" + input.agent().id() + "\" must sign its intents: " + result.reason()));
    }
}
