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

    // Every intent passes here: a copy (an Avro builder copies deeply) only for the rare text that needed escaping.
    private static Reason printable(Reason reason) {
        String safe = Printable.escape(reason.getMessage());
        return safe == reason.getMessage() ? reason : Reason.newBuilder(reason).setMessage(safe).build();
    }

    private static CheckResult printable(CheckResult check) {
        String safe = Printable.escape(check.getDetail());
        return safe == check.getDetail() ? check : CheckResult.newBuilder(check).setDetail(safe).build();
    }
}
