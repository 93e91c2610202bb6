package io.agentmediator.gate;

import io.agentmediator.gate.check.CapabilitiesCheck;
import io.agentmediator.gate.check.Rejection;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Whether the policy in force still lets the agent do what an intent decided under an earlier one asks. An intent finished
 * later (its claims answered by the resource ledger, its escalation approved) is executed under the policy in force, and
 * the decision carries that version: a policy that has since taken the action, the target or a data class away from the
 * agent (or a data flow) must not appear on an EXECUTE of it. The agent being suspended or dropped is the bar's
 * ({@code Suspensions.bar}), checked first.
 */
public final class StillAllowed {

    private static final CapabilitiesCheck CAPABILITIES = new CapabilitiesCheck();

    private StillAllowed() {}

    /** Why {@code inForce} forbids {@code intent} of {@code agentId}; empty when it allows it, or does not list the agent. */
    public static Optional<Rejection> rejection(Policy inForce, String agentId, AgentIntent intent, Instant at) {
        Optional<AgentProfile> agent = inForce.agent(agentId);
        if (agent.isEmpty() || intent == null) {
            return Optional.empty();
        }
        return CAPABILITIES.check(new GateInput(agentId, intent, null, new RecordHeaders(), at, inForce, agent.get()));
    }
}
