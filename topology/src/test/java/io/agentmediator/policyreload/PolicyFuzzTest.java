package io.agentmediator.policyreload;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Mutated policy documents through the whole topology, each published under an id of its own so that none is enforced:
 * flipped bits and truncated bytes, and, through the Avro object, strings made empty, long past the input limits or full
 * of control characters, lists emptied or repeated, numbers made extreme. Each must come out as exactly one audit case,
 * accepted or refused with its problems, and none may be dead-lettered (a validator that throws) or change what decides.
 */
class PolicyFuzzTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    private static final long SEED = 20261205L;
    private static final int MUTANTS = 1_000;
    private static final String[] ODD_TEXT = {"", " ", "\u0000", "\n", "\u2028", "\ud800", "\u202e", "x".repeat(256),
        "y".repeat(70_000), "*", "..", "not-a-tier"};
    private static final double[] ODD_DOUBLES = {Double.NaN, Double.POSITIVE_INFINITY, -1.0, 0.0, 1e308, -0.0};
    private static final long[] ODD_LONGS = {Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE, 1_000_000_000_000_001L};

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("policy-fuzz"));
    private final Policy filePolicy = PolicySource.load("classpath:policies/example.yaml").policy();
    private final PolicyDocument example = PolicyCodec.toAvro(filePolicy);
    private final Random random = new Random(SEED);

    @Test
    void everyMutatedDocumentIsAcceptedOrRefusedOnceAndNoneIsDeadLetteredOrEnforced() {
        HealthState health = new HealthState();
        try (TopologyTestDriver driver = new TopologyTestDriver(MediatorTopology.build(TopologyParts.of(MediatorConfig.defaults(), topics,
                new CurrentPolicy(filePolicy), health, UnaryOperator.identity())), TestDrivers.streamsSettings(), T0)) {
            TestInputTopic<byte[], byte[]> policies =
                    driver.createInputTopic(topics.policies().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            byte[] wire = serialize(example);

            // When
            Map<String, String> mutations = new TreeMap<>();
            for (int i = 0; i < MUTANTS; i++) {
                String policyId = "fuzz-" + i;
                boolean bytes = random.nextInt(3) == 0;
                byte[] value;
                if (bytes) {
                    value = random.nextBoolean() ? flipped(wire) : Arrays.copyOf(wire, random.nextInt(wire.length));
                    mutations.put(policyId, "bytes");
                } else {
                    PolicyDocument mutant = SpecificData.get().deepCopy(example.getSchema(), example);
                    mutations.put(policyId, mutate(mutant, "", 1 + random.nextInt(3)));
                    value = serialize(mutant);
                }
                policies.pipeInput(new TestRecord<>(policyId.getBytes(StandardCharsets.UTF_8), value, T0));
            }

            // Then each has exactly one case, none a dead letter
            Map<String, List<String>> casesById = new TreeMap<>();
            for (var record : driver.createOutputTopic(topics.audit().name(), topics.audit().keySerde().deserializer(),
                    topics.audit().valueSerde().deserializer()).readKeyValuesToList()) {
                String id = record.key.split(":")[1];
                casesById.computeIfAbsent(id, k -> new ArrayList<>()).add(record.key);
            }
            assertThat(casesById.keySet()).containsExactlyInAnyOrderElementsOf(mutations.keySet());
            assertThat(casesById.entrySet()).allSatisfy(e -> assertThat(e.getValue()).as(mutations.get(e.getKey())).hasSize(1));
            assertThat(driver.createOutputTopic(topics.intentsDlq().name(), Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer()).readRecordsToList()).isEmpty();
            // And some of each (of these 1,000: 905 refused, 95 accepted), so that a validator refusing everything, or nothing, fails
            long refused = casesById.values().stream().filter(keys -> keys.get(0).contains(":refused:")).count();
            assertThat(refused).isBetween(50L, MUTANTS - 50L);
            assertThat(health.policyRefusals()).isEqualTo(refused);

            // And the policy in force decides as before
            driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                    .pipeInput(new TestRecord<>(bytes("finance-analyst"), topics.intentSerde().serializer().serialize(topics.intents().name(),
                            AgentIntent.newBuilder().setIntentId("after").setAgentId("finance-analyst").setAction("invoice.create")
                                    .setTarget("erp").setCostMicros(1_000L).setConfidence(0.95).build()), T0.plusSeconds(1)));
            Decision decision = driver.createOutputTopic(topics.execute().name(), topics.execute().keySerde().deserializer(),
                    topics.execute().valueSerde().deserializer()).readValue();
            assertThat(decision.getPolicyVersion()).isEqualTo(filePolicy.version());
        }
    }

    /** Mutates {@code times} places of {@code record} chosen at random; says what it did. */
    private String mutate(IndexedRecord record, String path, int times) {
        List<String> done = new ArrayList<>();
        for (int t = 0; t < times; t++) {
            done.add(mutateOne(record, path));
        }
        return String.join("; ", done);
    }

    @SuppressWarnings("unchecked")
    private String mutateOne(IndexedRecord record, String path) {
        List<Schema.Field> fields = record.getSchema().getFields();
        Schema.Field field = fields.get(random.nextInt(fields.size()));
        String at = path + "." + field.name();
        Object value = record.get(field.pos());
        if (value instanceof IndexedRecord nested && random.nextInt(4) > 0) {
            return mutateOne(nested, at);
        }
        if (value instanceof List<?> list && !list.isEmpty()) {
            List<Object> copy = new ArrayList<>(list);
            int i = random.nextInt(copy.size());
            switch (random.nextInt(4)) {
                case 0 -> {
                    record.put(field.pos(), List.of());
                    return at + " emptied";
                }
                case 1 -> {
                    copy.addAll(Collections.nCopies(1 + random.nextInt(50), copy.get(i)));
                    record.put(field.pos(), copy);
                    return at + "[" + i + "] repeated";
                }
                default -> {
                    Object element = copy.get(i);
                    if (element instanceof IndexedRecord nested) {
                        IndexedRecord changed = (IndexedRecord) SpecificData.get().deepCopy(nested.getSchema(), nested);
                        copy.set(i, changed);
                        record.put(field.pos(), copy);
                        return mutateOne(changed, at + "[" + i + "]");
                    }
                    copy.set(i, ODD_TEXT[random.nextInt(ODD_TEXT.length)]);
                    record.put(field.pos(), copy);
                    return at + "[" + i + "] odd text";
                }
            }
        }
        if (value instanceof CharSequence) {
            record.put(field.pos(), ODD_TEXT[random.nextInt(ODD_TEXT.length)]);
            return at + " odd text";
        }
        if (value instanceof Double) {
            record.put(field.pos(), ODD_DOUBLES[random.nextInt(ODD_DOUBLES.length)]);
            return at + " odd double";
        }
        if (value instanceof Long) {
            record.put(field.pos(), ODD_LONGS[random.nextInt(ODD_LONGS.length)]);
            return at + " odd long";
        }
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            Map<Object, Object> copy = new TreeMap<>();
            map.forEach((k, v) -> copy.put(k.toString(), v));
            copy.put(ODD_TEXT[random.nextInt(ODD_TEXT.length)], List.of(ODD_TEXT[random.nextInt(ODD_TEXT.length)]));
            record.put(field.pos(), copy);
            return at + " odd entry";
        }
        if (value == null && field.schema().getType() == Schema.Type.UNION) {
            return at + " left null";
        }
        return at + " unchanged (" + field.schema().getType() + ")";
    }

    private byte[] flipped(byte[] wire) {
        byte[] copy = wire.clone();
        for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
            // Past the magic byte and schema id: the bytes Avro reads
            int at = 5 + random.nextInt(copy.length - 5);
            copy[at] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private byte[] serialize(PolicyDocument document) {
        return topics.policySerde().serializer().serialize(topics.policies().name(), document);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
