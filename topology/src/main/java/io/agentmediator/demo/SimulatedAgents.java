package io.agentmediator.demo;

import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A deterministic stream of what agents send: mostly intents of the policy's agents, some from
 * agents nobody registered, and a little garbage (bytes that are no intent, a null value, a
 * schema id the registry never issued), so every path of the pipeline shows in the summary.
 */
public final class SimulatedAgents {

    private static final String[] UNKNOWN_AGENTS = {"shadow-agent", "intern-script"};

    private final Policy policy;
    private final Serializer<AgentIntent> serializer;
    private final String topic;
    private final Random random;
    private final List<AgentProfile> agents;

    public SimulatedAgents(Policy policy, Serializer<AgentIntent> serializer, String topic, long seed) {
        this.policy = policy;
        this.serializer = serializer;
        this.topic = topic;
        this.random = new Random(seed);
        this.agents = new ArrayList<>(policy.agents().values());
    }

    /** The i-th record agents send, timestamped at {@code at}. */
    public ProducerRecord<byte[], byte[]> record(int i, Instant at) {
        int dice = random.nextInt(100);
        if (dice < 2) {
            return garbage(i, at);
        }
        AgentIntent intent = dice < 7 ? unknownAgentIntent(i) : knownAgentIntent(i);
        byte[] key = intent.getAgentId().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, at.toEpochMilli(), key, serializer.serialize(topic, intent));
    }

    private AgentIntent knownAgentIntent(int i) {
        AgentProfile agent = agents.get(random.nextInt(agents.size()));
        String action = concrete(pick(agent.capabilities().actions(), "report.generate"));
        String target = concrete(pick(agent.capabilities().targets(), "erp"));
        return intent(i, agent.id(), action, target);
    }

    private AgentIntent unknownAgentIntent(int i) {
        return intent(i, UNKNOWN_AGENTS[random.nextInt(UNKNOWN_AGENTS.length)], "data.export", "warehouse");
    }

    private AgentIntent intent(int i, String agentId, String action, String target) {
        return AgentIntent.newBuilder()
                .setIntentId("demo-" + i)
                .setAgentId(agentId)
                .setAction(action)
                .setTarget(target)
                .setCostMicros(1_000L * (1 + random.nextInt(500)))
                .setCommitmentMicros(1_000_000L * random.nextInt(3_000))
                .setConfidence(0.5 + random.nextDouble() / 2)
                .setReasoning("simulated by the demo")
                .setAttributes(Map.of("source", "demo"))
                .build();
    }

    private ProducerRecord<byte[], byte[]> garbage(int i, Instant at) {
        byte[] key = ("garbage-" + i).getBytes(StandardCharsets.UTF_8);
        byte[] value =
                switch (random.nextInt(3)) {
                    case 0 -> "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
                    case 1 -> null;
                    default -> new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3};
                };
        return new ProducerRecord<>(topic, null, at.toEpochMilli(), key, value);
    }

    private String pick(List<String> options, String fallback) {
        return options.isEmpty() ? fallback : options.get(random.nextInt(options.size()));
    }

    /** A glob such as invoice.* stands for many actions; the demo sends one concrete one. */
    private static String concrete(String glob) {
        return glob.replace("*", "create").replace("?", "x");
    }

    public Policy policy() {
        return policy;
    }
}
