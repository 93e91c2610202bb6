package io.agentmediator.gate;

import io.agentmediator.partition.AgentPartition;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Where the agent partition's processors publish what they decide, and how decisions are signed:
 * the same for every processor that finishes a decision, so they are given it as one.
 *
 * @param routes      the child for each outcome's decisions
 * @param auditChild  the child for case files
 * @param ownersChild the child that tells approvals and outcomes which partition holds a case
 */
public record DecisionRoutes(UnaryOperator<Decision> signDecision, Map<DecisionOutcome, String> routes, String auditChild, String ownersChild) {

    public DecisionRoutes {
        routes = Map.copyOf(routes);
    }

    DecisionWriter writer(ProcessorContext<Object, Object> context, AgentPartition partition) {
        return new DecisionWriter(context, partition, signDecision, routes, auditChild, ownersChild);
    }
}
