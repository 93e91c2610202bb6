package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.schema.ReasonCode;
import java.util.List;
import java.util.Optional;

/**
 * CROSS_DEPARTMENT: an action that affects a department other than the agent's own escalates to
 * the policy's crossDepartmentTier. An agent with no department has no own department, so any
 * department it names is another's.
 */
public final class CrossDepartmentCheck implements EscalationCheck {

    @Override
    public String name() {
        return "cross-department";
    }

    @Override
    public Optional<Escalation> check(GateInput input) {
        String own = input.agent().department();
        List<String> others = input.intent().getDepartments().stream().filter(d -> !d.equals(own)).distinct().toList();
        if (others.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Escalation(ReasonCode.CROSS_DEPARTMENT, null,
                "affects " + others + " beyond the agent's own department " + (own == null ? "(none)" : own),
                input.policy().defaults().crossDepartmentTier()));
    }
}
