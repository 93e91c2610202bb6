package io.agentmediator.topology;

import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.health.HealthState;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.policyreload.PolicyStringLimits;
import io.agentmediator.metrics.DecisionMetrics;
import io.agentmediator.schema.Decision;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import org.apache.kafka.common.record.TimestampType;
import java.util.function.UnaryOperator;

/**
 * What the topology is built from: its topics, the policy holder it decides with, the health it
 * reports to, how it signs decisions, and the settings that shape its processors.
 *
 * @param signDecision     adds the mediator's signature ({@code DecisionSigner::sign}); a backtest
 *                         leaves decisions unsigned so its output is the same run after run
 * @param policyId         the key of the enforced document on the policies topic
 * @param dedupeRetention  how long a decided intent id is remembered
 * @param escalationCheckInterval how often open escalations are checked, in wall-clock time
 * @param housekeepingInterval    how often holds and waiting intents are checked, in wall-clock time
 * @param claimsTimeout           how long an intent waits for the resource ledger's answer, in wall-clock time
 * @param caseRetention           how long executed cases and finished tasks are kept after their last change
 * @param caseOwnerWait           how long an approval or outcome waits for its intent's owner, in wall-clock time
 * @param intentsStampedByBroker  whether intents carry the broker's time of arrival (LogAppendTime, the default), so that
 *                                their time and the mediator's wall clock can be compared; false for CreateTime (replays).
 *                                Taken from the setting; the application takes it from the intents topic itself
 *                                ({@link #withIntentsStampedByBroker})
 * @param suspensions      the kill switches in force, which the controls topic keeps up to date
 * @param readHorizon      how far the consumer group has read, for the checks that run on the wall clock; followed
 *                         once the application starts it, never under a TopologyTestDriver
 * @param maxRecordBytes   the largest record the mediator's producer sends ({@code max.request.size}); larger outputs are dead-lettered
 * @param limits           how large incoming intents, approvals and outcomes may be
 * @param metrics          told of every decision and dead letter; {@link DecisionMetrics#NONE} unless
 *                         {@link #withMetrics} gives one
 * @param signingKeyId     the id of the key {@code signDecision} signs with, named in a header of every decision record;
 *                         null (no header) unless {@link #withSigningKeyId} gives one
 */
public record TopologyParts(
        Topics topics,
        CurrentPolicy policy,
        HealthState health,
        UnaryOperator<Decision> signDecision,
        String policyId,
        Duration dedupeRetention,
        Duration escalationCheckInterval,
        Duration housekeepingInterval,
        Duration claimsTimeout,
        Duration caseRetention,
        Duration caseOwnerWait,
        boolean intentsStampedByBroker,
        Suspensions suspensions,
        ReadHorizon readHorizon,
        int maxRecordBytes,
        InputLimits limits,
        DecisionMetrics metrics,
        String signingKeyId) {

    public TopologyParts {
        // The validator refuses documents keyed longer than any id: none published under this one would ever count.
        new PolicyStringLimits(limits).idOverLimit(ConfigKeys.POLICY_ID.name(), policyId).ifPresent(problem -> {
            throw new IllegalArgumentException(problem + ": every policy published under it would be refused");
        });
    }

    /** The parts with the settings a configuration gives. */
    public static TopologyParts of(
            MediatorConfig config, Topics topics, CurrentPolicy policy, HealthState health, UnaryOperator<Decision> signDecision) {
        return new TopologyParts(
                topics,
                policy,
                health,
                signDecision,
                config.get(ConfigKeys.POLICY_ID),
                config.getDuration(ConfigKeys.DEDUPE_RETENTION),
                config.getDuration(ConfigKeys.ESCALATION_CHECK_INTERVAL),
                config.getDuration(ConfigKeys.HOUSEKEEPING_INTERVAL),
                config.getDuration(ConfigKeys.CLAIMS_TIMEOUT),
                config.getDuration(ConfigKeys.CASE_RETENTION),
                config.getDuration(ConfigKeys.CASE_OWNER_WAIT),
                Topics.timestampTypes(config).get(ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE) == TimestampType.LOG_APPEND_TIME,
                new Suspensions(),
                new ReadHorizon(),
                RecordSize.maxRequestBytes(config.passThrough()),
                InputLimits.of(config),
                DecisionMetrics.NONE,
                null);
    }

    /** The same parts, telling {@code metrics} of every decision and dead letter. */
    public TopologyParts withMetrics(DecisionMetrics metrics) {
        return new TopologyParts(topics, policy, health, signDecision, policyId, dedupeRetention,
                escalationCheckInterval, housekeepingInterval, claimsTimeout, caseRetention, caseOwnerWait, intentsStampedByBroker, suspensions, readHorizon, maxRecordBytes, limits, metrics,
                signingKeyId);
    }

    /**
     * The same parts, with intents known to carry the broker's time of arrival or not, as the cluster's intents topic says:
     * the setting asks for who stamps them, the topic decides.
     */
    public TopologyParts withIntentsStampedByBroker(boolean stamped) {
        return new TopologyParts(topics, policy, health, signDecision, policyId, dedupeRetention,
                escalationCheckInterval, housekeepingInterval, claimsTimeout, caseRetention, caseOwnerWait, stamped, suspensions, readHorizon, maxRecordBytes, limits, metrics,
                signingKeyId);
    }

    /** The same parts, naming {@code keyId} as the key decisions are signed with. */
    public TopologyParts withSigningKeyId(String keyId) {
        return new TopologyParts(topics, policy, health, signDecision, policyId, dedupeRetention,
                escalationCheckInterval, housekeepingInterval, claimsTimeout, caseRetention, caseOwnerWait, intentsStampedByBroker, suspensions, readHorizon, maxRecordBytes, limits, metrics,
                keyId);
    }
}
