package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import java.util.Optional;

/** LOW_CONFIDENCE: an agent unsure of itself asks the first tier. */
public final class ConfidenceCheck implements EscalationCheck {

    @Override
    public String name() {
        return "confidence";
    }

    @Override
    public Optional<Escalation> check(GateInput input) {
        double min = input.policy().defaults().minConfidence();
        double confidence = input.intent().getConfidence();
        if (confidence >= min) {
            return Optional.empty();
        }
        return Optional.of(new Escalation(ReasonCode.LOW_CONFIDENCE, null,
                "confidence " + confidence + " is below the policy's minimum " + min, input.policy().lowestTier()));
    }
}
