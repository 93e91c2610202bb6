package io.agentmediator.topology;

import io.agentmediator.gate.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.topics.Topics;
import java.time.Duration;

/**
 * What the topology is built from: its topics, the policy holder it decides with, the health it
 * reports to, and the settings that shape its processors.
 *
 * @param registryRetryMax how long a record waits for an unreachable schema registry
 * @param policyId         the key of the enforced document on the policies topic
 */
public record TopologyParts(
        Topics topics, CurrentPolicy policy, HealthState health, Duration registryRetryMax, String policyId) {}
