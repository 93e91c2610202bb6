package io.agentmediator.gate;

import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.util.ArrayList;
import java.util.List;

/**
  * The checks an intent goes through, in DESIGN.md's order, as a pure function of the intent
  * and the policy: no store, no clock of its own, so a replay decides the same way.
  */
public final class IntentChecks {

    static final String AGENT_KNOWN = "agent-known";

    /** Decides one intent under one policy. */
    public Verdict check(AgentIntent intent, Policy policy) {
        List<CheckResult> checks = new ArrayList<>();
        if (policy.agent(intent.getAgentId()).isEmpty()) {
            String message = "agent \"" + intent.getAgentId() + "\" is not in policy " + policy.version();
            checks.add(failed(AGENT_KNOWN, ReasonCode.UNKNOWN_AGENT, message));
            return new Verdict(
                    DecisionOutcome.REJECT, null, List.of(new Reason(ReasonCode.UNKNOWN_AGENT, null, message)), checks);
        }
        checks.add(passed(AGENT_KNOWN, "agent \"" + intent.getAgentId() + "\" is known"));
        return new Verdict(DecisionOutcome.EXECUTE, null, List.of(), checks);
    }

    private static CheckResult passed(String check, String detail) {
        return new CheckResult(check, CheckStatus.PASS, null, null, detail);
    }

    private static CheckResult failed(String check, ReasonCode code, String detail) {
        return new CheckResult(check, CheckStatus.FAIL, code, null, detail);
    }
}
