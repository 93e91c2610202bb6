package io.agentmediator.cases;

import io.agentmediator.gate.GateInput;
import io.agentmediator.gate.check.CapabilitiesCheck;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Whether the policy in force still lets the agent do what its open escalation asks. An approval executes the intent under
 * that policy, and the decision says so: a policy that has since taken the action, the target or a data class away from the
 * agent (or a data flow) must not have its version on an EXECUTE of it. Such an approval is not applied, and a denial still
 * is. The agent being suspended or dropped is the bar's ({@code Suspensions.bar}), checked first.
 */
final class StillAllowed {

    private static final CapabilitiesCheck CAPABILITIES = new CapabilitiesCheck();

    private StillAllowed() {}

    /** Why approving {@code intent} of {@code agentId} under {@code inForce} would execute what it forbids; empty when it would not. */
    static Optional<String> refusal(Policy inForce, String agentId, AgentIntent intent, Instant at) {
        Optional<AgentProfile> agent = inForce.agent(agentId);
        if (agent.isEmpty() || intent == null) {
            return Optional.empty();
        }
        return CAPABILITIES.check(new GateInput(agentId, intent, null, new RecordHeaders(), at, inForce, agent.get()))
                .map(rejection -> "policy " + inForce.version() + " no longer allows it (" + rejection.code() + ": " + rejection.message()
                        + "), so it may be denied, not approved");
    }
}
