package io.agentmediator.gate;

import io.agentmediator.gate.check.CapabilitiesCheck;
import io.agentmediator.gate.check.Rejection;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.signing.Ed25519Keys;
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

    /**
     * Why the intent's signature no longer speaks for the agent: the policy in force gives it another key than the one that
     * verified the intent (rotated after a theft: intents signed with the old key are refused from then on, and an
     * escalation such an intent opened must not be executed either). Empty when {@code verifiedWith} is null (no key
     * verified it, or its case file predates the record), when the agent is not listed (the bar's), or when it need not
     * sign any more.
     */
    public static Optional<String> keyReplaced(Policy inForce, String agentId, String verifiedWith) {
        if (verifiedWith == null) {
            return Optional.empty();
        }
        return keyFingerprint(inForce, agentId).filter(inPolicy -> !inPolicy.equals(verifiedWith))
                .map(inPolicy -> "the key its intent was signed with (" + verifiedWith + ") is no longer the agent's: policy "
                        + inForce.version() + " gives it " + inPolicy);
    }

    /** The fingerprint of the key {@code inForce} gives the agent, if it must sign. */
    static Optional<String> keyFingerprint(Policy inForce, String agentId) {
        return inForce.agent(agentId).map(AgentProfile::publicKey).map(Ed25519Keys::fingerprint);
    }
}
