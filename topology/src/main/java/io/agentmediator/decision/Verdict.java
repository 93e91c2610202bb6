package io.agentmediator.decision;

import io.agentmediator.text.Printable;
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
        // Reason texts quote ids and fields of the intent: they must be safe to print wherever they are read.
        reasons = reasons.stream().map(Verdict::printable).toList();
        checks = checks.stream().map(Verdict::printable).toList();
    }

    private static Reason printable(Reason reason) {
        return Reason.newBuilder(reason).setMessage(Printable.escape(reason.getMessage())).build();
    }

    private static CheckResult printable(CheckResult check) {
        return CheckResult.newBuilder(check).setDetail(Printable.escape(check.getDetail())).build();
    }
}
