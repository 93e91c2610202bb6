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
        // Reason texts quote ids and fields of the intent and the policy: safe to print wherever they are read, and small.
        VerdictTexts texts = new VerdictTexts();
        reasons = reasons.stream().map(reason -> bounded(reason, texts)).toList();
        checks = checks.stream().map(check -> bounded(check, texts)).toList();
    }

    /** {@code reason} as a verdict of its own keeps it: for a decision a person's answer makes, which quotes their comment. */
    public static Reason bounded(Reason reason) {
        return bounded(reason, new VerdictTexts());
    }

    // Every intent passes here: a copy (an Avro builder copies deeply) only for the rare text that needed escaping or a cut.
    private static Reason bounded(Reason reason, VerdictTexts texts) {
        String kept = texts.bounded(reason.getMessage());
        return kept == reason.getMessage() ? reason : Reason.newBuilder(reason).setMessage(kept).build();
    }

    private static CheckResult bounded(CheckResult check, VerdictTexts texts) {
        String kept = texts.bounded(check.getDetail());
        return kept == check.getDetail() ? check : CheckResult.newBuilder(check).setDetail(kept).build();
    }
}
