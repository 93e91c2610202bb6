package io.agentmediator.gate;

import io.agentmediator.controls.AgentBar;
import io.agentmediator.decision.Verdict;
import io.agentmediator.gate.check.AgentKnownCheck;
import io.agentmediator.gate.check.ExpiryCheck;
import io.agentmediator.gate.check.Rejection;
import io.agentmediator.gate.check.SuspendedCheck;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.text.Printable;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of a decision that went through the resource ledger: the gate's verdict on the
 * intent, as it stood when the claims left, completed with the ledger's answer. Claims are tried
 * last (DESIGN.md), so their result is the last check.
 */
final class ClaimVerdicts {

    static final String CLAIMS = "resource-ledger";

    private ClaimVerdicts() {}

    /** Every claim and the pool were taken: the gate's verdict stands. */
    static Verdict granted(Verdict gate, List<String> held) {
        return new Verdict(gate.outcome(), gate.tier(), gate.reasons(),
                with(gate.checks(), new CheckResult(CLAIMS, CheckStatus.PASS, null, null, "holds " + String.join(", ", held))));
    }

    /** A resource is over its capacity: the intent escalates at the conflict tier, or higher if it already did. */
    static Verdict conflict(Verdict gate, LedgerReply reply, Policy policy) {
        String tier = higher(gate.tier(), policy.defaults().conflictTier(), policy);
        List<Reason> reasons = new ArrayList<>(gate.reasons());
        reasons.add(new Reason(ReasonCode.RESOURCE_CONFLICT, null, reply.getMessage()));
        return new Verdict(DecisionOutcome.ESCALATE, tier, reasons,
                with(gate.checks(), new CheckResult(CLAIMS, CheckStatus.ESCALATE, ReasonCode.RESOURCE_CONFLICT, null, reply.getMessage())));
    }

    /**
     * The shared pool refuses the charge: rejected, and the escalation the gate may have raised is moot.
     * POOL_BUDGET_EXCEEDED when it has no room; the reply's code when it says otherwise (DUPLICATE: the
     * intent id already holds a reservation in the pool, another agent's intent with the same id). A code this version's
     * schema lacks (a newer instance's ledger, during a rolling upgrade) reads as UNKNOWN, which no decision carries: the
     * refusal stands as POOL_BUDGET_EXCEEDED.
     */
    static Verdict poolExceeded(Verdict gate, LedgerReply reply) {
        ReasonCode code = reply.getCode() != null && reply.getCode() != ReasonCode.UNKNOWN ? reply.getCode() : ReasonCode.POOL_BUDGET_EXCEEDED;
        return new Verdict(DecisionOutcome.REJECT, null, List.of(new Reason(code, null, reply.getMessage())),
                with(gate.checks(), new CheckResult(CLAIMS, CheckStatus.FAIL, code, null, reply.getMessage())));
    }

    /**
     * The agent was suspended, or dropped from the policy, while its claims were out: rejected whatever
     * the ledger answered, as the gate would reject it now, the failed check named as the gate names it.
     */
    static Verdict barred(Verdict answered, String agentId, AgentBar bar) {
        String message = Printable.escape(bar.sentence(agentId, "this intent waited for its claims"));
        String check = bar.code() == ReasonCode.UNKNOWN_AGENT ? AgentKnownCheck.NAME : SuspendedCheck.NAME;
        return new Verdict(DecisionOutcome.REJECT, null, List.of(new Reason(bar.code(), null, message)),
                with(answered.checks(), new CheckResult(check, CheckStatus.FAIL, bar.code(), null, message)));
    }

    /** Granted once the intent's expiry had passed: it is rejected EXPIRED, as the gate rejects one that arrives expired. */
    static Verdict expired(Verdict answered, String why) {
        return new Verdict(DecisionOutcome.REJECT, null, List.of(new Reason(ReasonCode.EXPIRED, null, why)),
                with(answered.checks(), new CheckResult(ExpiryCheck.NAME, CheckStatus.FAIL, ReasonCode.EXPIRED, null, why)));
    }

    /**
     * The policy in force took the intent's action, target or a data class away from the agent while its claims were with
     * the ledger, or has an enforced REJECT rule that matches it: rejected as the gate rejects it now, whatever the ledger
     * answered.
     */
    static Verdict forbidden(Verdict answered, String policyVersion, StillAllowed.Refusal refusal) {
        Rejection rejection = refusal.rejection();
        String message = Printable.escape("policy " + policyVersion + ", in force when its claims were answered: " + rejection.message());
        return new Verdict(DecisionOutcome.REJECT, null, List.of(new Reason(rejection.code(), rejection.ruleId(), message)),
                with(answered.checks(), new CheckResult(refusal.check(), CheckStatus.FAIL, rejection.code(), rejection.ruleId(), message)));
    }

    /**
     * The higher of two tiers. The gate's tier may be one a policy published since no longer has: it
     * stays, so that no approver can answer the escalation (ApproverEligibility) rather than the
     * conflict lowering it to one the new policy has.
     */
    private static String higher(String current, String raised, Policy policy) {
        if (current == null) {
            return raised;
        }
        if (raised == null || policy.tierRank(current) < 0) {
            return current;
        }
        return policy.tierRank(raised) > policy.tierRank(current) ? raised : current;
    }

    private static List<CheckResult> with(List<CheckResult> checks, CheckResult last) {
        List<CheckResult> all = new ArrayList<>(checks);
        all.add(last);
        return all;
    }
}
