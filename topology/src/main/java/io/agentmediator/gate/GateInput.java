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
 * {@code resumed}: the intent waited for its dependencies and all of them completed, so it is
 * decided now as if it had just arrived; its id was recorded when it began to wait, so that is no
 * duplicate. {@code overLimits}: the input limits the intake found broken (the intent is then a
 * {@code BoundedIntent}), each a sentence; the well-formed check rejects it for them.
 */
public record GateInput(
        String key, AgentIntent intent, byte[] rawValue, Headers headers, Instant at, Policy policy, AgentProfile agent,
        boolean resumed, List<String> overLimits) {

    public GateInput {
        overLimits = List.copyOf(overLimits);
    }

    /** An intent as it arrives, within every limit. */
    public GateInput(String key, AgentIntent intent, byte[] rawValue, Headers headers, Instant at, Policy policy, AgentProfile agent) {
        this(key, intent, rawValue, headers, at, policy, agent, false, List.of());
    }

    /** An intent that waited for its dependencies (it was within every limit, or it would not have waited). */
    public GateInput(String key, AgentIntent intent, byte[] rawValue, Headers headers, Instant at, Policy policy, AgentProfile agent,
            boolean resumed) {
        this(key, intent, rawValue, headers, at, policy, agent, resumed, List.of());
    }

    /** The SHA-256 of the value bytes as they arrived, which the decision names so executors can check it. */
    public String intentSha256() {
        return IntentDigest.of(rawValue);
    }

    /** The same input with one more broken limit, found after the intake's. */
    public GateInput overLimit(String problem) {
        List<String> problems = new ArrayList<>(overLimits);
        problems.add(problem);
        return new GateInput(key, intent, rawValue, headers, at, policy, agent, resumed, problems);
    }

    /** The same input with the agent's profile, once the agent is known to be in the policy. */
    public GateInput withAgent(AgentProfile profile) {
        return new GateInput(key, intent, rawValue, headers, at, policy, profile, resumed, overLimits);
    }
}
