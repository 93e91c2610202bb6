package io.agentmediator.cases;

import io.agentmediator.policy.Executor;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.SignatureRequirement;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Outcome;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * Whether an outcome comes from the executor it names ({@code reportedBy}), and whether that
 * executor carries out this agent's action.
 */
final class OutcomeAuthentication {

    private OutcomeAuthentication() {}

    /** The reporter and its signature, checked where the record is read. */
    static Optional<Refusal> signature(Policy policy, Outcome outcome, byte[] value, Headers headers) {
        SignatureRequirement requirement = policy.signatures().outcomes();
        String reporter = outcome.getReportedBy();
        Optional<Executor> executor = reporter == null ? Optional.empty() : policy.executor(reporter);
        if (executor.isEmpty() && requirement == SignatureRequirement.REQUIRED) {
            return Optional.of(new Refusal(RefusalCode.NOT_AN_EXECUTOR, reporter == null
                    ? "the outcome names no reporter (reportedBy), and only the policy's executors may report"
                    : reporter + " is not an executor in policy " + policy.version()));
        }
        String name = reporter == null ? "an unnamed reporter" : reporter;
        return RecordSignatures.refusal(requirement, "outcome reported by " + name, name,
                executor.map(Executor::publicKey).orElse(null), value, headers);
    }

    /** Whether the named executor executes the intent's action for its agent, checked where the case is. */
    static Optional<Refusal> authority(Policy policy, Outcome outcome, String agentId, AgentIntent intent) {
        String reporter = outcome.getReportedBy();
        String action = intent == null ? null : intent.getAction();
        return Optional.ofNullable(reporter)
                .flatMap(policy::executor)
                .filter(executor -> !executor.executesFor(agentId, action))
                .map(executor -> new Refusal(RefusalCode.EXECUTOR_OUT_OF_SCOPE, "executor " + executor.id() + " executes "
                        + globs(executor.actions()) + " for " + globs(executor.agents()) + ", not " + action + " for " + agentId));
    }

    private static String globs(List<String> globs) {
        return globs.isEmpty() ? "any" : String.join(", ", globs);
    }
}
