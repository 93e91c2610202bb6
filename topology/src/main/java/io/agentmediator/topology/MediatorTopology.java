package io.agentmediator.topology;

import io.agentmediator.gate.AgentGate;
import io.agentmediator.gate.GateDecider;
import io.agentmediator.gate.GateStores;
import io.agentmediator.intake.IntentDecoder;
import io.agentmediator.policyreload.PolicyLoader;
import io.agentmediator.policyreload.PolicyValidator;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import java.util.Map;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The mediator's topology as a pure function of its parts. It reads like the diagram in
 * DESIGN.md:
 *
 * <pre>
 * intents-source ─► intent-decoder ─► agent-gate ─► execute-sink | escalate-sink | reject-sink
 *                        │            (stores: intent-ids, rate-buckets, └──► audit-sink
 *                        │             budget-ledgers, open-escalations)
 *                        └──► intents-dlq-sink
 *
 * policies-source ─► policy-validator ─► policies-accepted-sink   (and its case file ─► audit-sink)
 * [global] policies-accepted-source ─► policy-loader (store accepted-policies) ─► policy in force
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
    public static final String POLICIES_SOURCE = "policies-source";
    public static final String POLICY_VALIDATOR = "policy-validator";
    public static final String POLICIES_ACCEPTED_SINK = "policies-accepted-sink";
    public static final String POLICIES_ACCEPTED_SOURCE = "policies-accepted-source";
    public static final String POLICY_LOADER = "policy-loader";
    public static final String ACCEPTED_POLICIES_STORE = "accepted-policies";

    private MediatorTopology() {}

    public static Topology build(TopologyParts parts) {
        Topics topics = parts.topics();
        Topology topology = new Topology();
        TopicSpec<byte[], byte[]> intents = topics.intents();
        topology.addSource(
                INTENTS_SOURCE, intents.keySerde().deserializer(), intents.valueSerde().deserializer(), intents.name());
        topology.addProcessor(
                INTENT_DECODER,
                () -> new IntentDecoder(
                        topics.intentSerde().deserializer(), parts.health(), parts.registryRetryMax(), AGENT_GATE, INTENTS_DLQ_SINK),
                INTENTS_SOURCE);

        Map<DecisionOutcome, String> routes = Map.of(
                DecisionOutcome.EXECUTE, EXECUTE_SINK,
                DecisionOutcome.ESCALATE, ESCALATE_SINK,
                DecisionOutcome.REJECT, REJECT_SINK);
        topology.addProcessor(
                AGENT_GATE,
                () -> new AgentGate(parts.policy(), parts.signDecision(), parts.dedupeRetention(), new GateDecider()::decide,
                        routes, AUDIT_SINK, INTENTS_DLQ_SINK),
                INTENT_DECODER);
        for (StoreBuilder<?> store : GateStores.builders(parts.dedupeRetention(), topics.audit().valueSerde())) {
            topology.addStateStore(store, AGENT_GATE);
        }
        sink(topology, EXECUTE_SINK, topics.execute(), AGENT_GATE);
        sink(topology, ESCALATE_SINK, topics.escalate(), AGENT_GATE);
        sink(topology, REJECT_SINK, topics.reject(), AGENT_GATE);
        sink(topology, INTENTS_DLQ_SINK, topics.intentsDlq(), INTENT_DECODER, AGENT_GATE);

        addPolicyReload(topology, parts);
        sink(topology, AUDIT_SINK, topics.audit(), AGENT_GATE, POLICY_VALIDATOR);
        return topology;
    }

    private static void addPolicyReload(Topology topology, TopologyParts parts) {
        Topics topics = parts.topics();
        TopicSpec<byte[], byte[]> policies = topics.policies();
        topology.addSource(
                POLICIES_SOURCE, policies.keySerde().deserializer(), policies.valueSerde().deserializer(), policies.name());
        topology.addProcessor(
                POLICY_VALIDATOR,
                () -> new PolicyValidator(
                        topics.policySerde().deserializer(), parts.policy(), parts.health(), POLICIES_ACCEPTED_SINK, AUDIT_SINK),
                POLICIES_SOURCE);
        sink(topology, POLICIES_ACCEPTED_SINK, topics.policiesAccepted(), POLICY_VALIDATOR);

        TopicSpec<String, PolicyDocument> accepted = topics.policiesAccepted();
        // A global store restores from its own topic; a changelog of it would only be a copy.
        StoreBuilder<KeyValueStore<String, PolicyDocument>> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ACCEPTED_POLICIES_STORE), accepted.keySerde(), accepted.valueSerde())
                .withLoggingDisabled();
        topology.addGlobalStore(
                store,
                POLICIES_ACCEPTED_SOURCE,
                accepted.keySerde().deserializer(),
                accepted.valueSerde().deserializer(),
                accepted.name(),
                POLICY_LOADER,
                () -> new PolicyLoader(ACCEPTED_POLICIES_STORE, parts.policyId(), parts.policy(), parts.health()));
    }

    private static <K, V> void sink(Topology topology, String name, TopicSpec<K, V> topic, String... parents) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), parents);
    }
}
