package io.agentmediator.gate;

import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.signing.IntentDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;

/**
 * Everything a check may look at: the record as it arrived (key, exact value bytes, headers,
 * timestamp), the decoded intent, the policy in force and, once known, the agent's profile.
 * {@code waitingSince}: when the intent began to wait for its dependencies, all of which have completed,
 * so it is decided now as if it had just arrived (its id was recorded when it began to wait, so that is no
 * duplicate); null for an intent as it arrived. {@code overLimits}: the input limits the intake found broken (the intent is then a
 * {@code BoundedIntent}), each a sentence; the well-formed check rejects it for them.
 */
public record GateInput(
        String key, AgentIntent intent, byte[] rawValue, Headers headers, Instant at, Policy policy, AgentProfile agent,
        Instant waitingSince, List<String> overLimits) {

    public GateInput {
        overLimits = List.copyOf(overLimits);
    }

    /** An intent as it arrives, within every limit. */
    public GateInput(String key, AgentIntent intent, byte[] rawValue, Headers headers, Instant at, Policy policy, AgentProfile agent) {
        this(key, intent, rawValue, headers, at, policy, agent, null, List.of());
    }

    /** An intent that waited for its dependencies (it was within every limit, or it would not have waited). */
    public GateInput(String key, AgentIntent intent, byte[] rawValue, Headers headers, Instant at, Policy policy, AgentProfile agent,
            Instant waitingSince) {
        this(key, intent, rawValue, headers, at, policy, agent, waitingSince, List.of());
    }

    /** Whether the intent waited for its dependencies, which all completed, rather than just arrived. */
    public boolean resumed() {
        return waitingSince != null;
    }

    /** The SHA-256 of the value bytes as they arrived, which the decision names so executors can check it. */
    public String intentSha256() {
        return IntentDigest.of(rawValue);
    }

    /** The same input with one more broken limit, found after the intake's. */
    public GateInput overLimit(String problem) {
        List<String> problems = new ArrayList<>(overLimits);
        problems.add(problem);
        return new GateInput(key, intent, rawValue, headers, at, policy, agent, waitingSince, problems);
    }

    /** The same input with the agent's profile, once the agent is known to be in the policy. */
    public GateInput withAgent(AgentProfile profile) {
        return new GateInput(key, intent, rawValue, headers, at, policy, profile, waitingSince, overLimits);
    }
}
