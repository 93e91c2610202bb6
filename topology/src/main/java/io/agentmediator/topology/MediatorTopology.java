package io.agentmediator.topology;

import io.agentmediator.gate.AgentGate;
import io.agentmediator.gate.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.intake.IntentDecoder;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.Topology;

/**
  * The mediator's topology as a pure function of its topics, the policy in force and the
  * health it reports to. It reads like the diagram in DESIGN.md:
  *
  * <pre>
  * intents-source ─► intent-decoder ─► agent-gate ─► execute-sink | escalate-sink | reject-sink
  *                        │                     └──► audit-sink
  *                        └──► intents-dlq-sink
  * </pre>
  */
public final class MediatorTopology {

    public static final String INTENTS_SOURCE = "intents-source";
    public static final String INTENT_DECODER = "intent-decoder";
    public static final String INTENTS_DLQ_SINK = "intents-dlq-sink";
    public static final String AGENT_GATE = "agent-gate";
    public static final String EXECUTE_SINK = "execute-sink";
    public static final String ESCALATE_SINK = "escalate-sink";
    public static final String REJECT_SINK = "reject-sink";
    public static final String AUDIT_SINK = "audit-sink";

    private MediatorTopology() {}

    public static Topology build(
            Topics topics, CurrentPolicy policy, HealthState health, Duration registryRetryMax) {
        Topology topology = new Topology();
        TopicSpec<byte[], byte[]> intents = topics.intents();
        topology.addSource(
                INTENTS_SOURCE,
                intents.keySerde().deserializer(),
                intents.valueSerde().deserializer(),
                intents.name());
        topology.addProcessor(
                INTENT_DECODER,
                () ->
                        new IntentDecoder(
                                topics.intentSerde().deserializer(), health, registryRetryMax, AGENT_GATE, INTENTS_DLQ_SINK),
                INTENTS_SOURCE);
        sink(topology, INTENTS_DLQ_SINK, topics.intentsDlq(), INTENT_DECODER);

        Map<DecisionOutcome, String> routes =
                Map.of(
                        DecisionOutcome.EXECUTE, EXECUTE_SINK,
                        DecisionOutcome.ESCALATE, ESCALATE_SINK,
                        DecisionOutcome.REJECT, REJECT_SINK);
        topology.addProcessor(AGENT_GATE, () -> new AgentGate(policy, routes, AUDIT_SINK), INTENT_DECODER);
        sink(topology, EXECUTE_SINK, topics.execute(), AGENT_GATE);
        sink(topology, ESCALATE_SINK, topics.escalate(), AGENT_GATE);
        sink(topology, REJECT_SINK, topics.reject(), AGENT_GATE);
        sink(topology, AUDIT_SINK, topics.audit(), AGENT_GATE);
        return topology;
    }

    private static <K, V> void sink(Topology topology, String name, TopicSpec<K, V> topic, String parent) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), parent);
    }
}
