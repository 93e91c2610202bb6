package io.agentmediator.decision;

import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import java.util.List;

/**
  * What the checks concluded about one intent: the outcome, the tier for an escalation, the
  * reasons a person reads, and every check with its result for the case file.
  */
public record Verdict(DecisionOutcome outcome, String tier, List<Reason> reasons, List<CheckResult> checks) {

    public Verdict {
        reasons = List.copyOf(reasons);
        checks = List.copyOf(checks);
    }
}
