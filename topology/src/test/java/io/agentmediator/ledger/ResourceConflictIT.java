package io.agentmediator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two mediator instances on a real broker, agents on different partitions, the same resources and
 * the same shared pool: every conflict is caught, every intent decided exactly once, two intents that claim
 * the same two resources in opposite orders do not both lose, and the ledger's holds survive the instance that kept them.
 */
@Tag("slow")
class ResourceConflictIT {

    private static final String SCOPE = "resource-conflict-it";
    private static final int PARTITIONS = 4;
    private static final int ROOMS = 25;
    /**
     * The broker stamps records with the producer's clock and housekeeping drops holds whose window has
     * ended on the wall clock, so the bookings lie in the future of whatever day the test runs.
     */
    private static final Instant NINE = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(1));
    private static final String POLICY = """
            version: "conflict-it-1"
            defaults: { conflictTier: MANAGER, minConfidence: 0.5 }
            tiers: [MANAGER, BOARD]
            agents:
              - { id: ops-planner, department: ops, capabilities: { actions: ["*"], targets: ["*"] }, pool: shared }
              - { id: facilities-bot, department: facilities, capabilities: { actions: ["*"], targets: ["*"] }, pool: shared }
              - { id: events-bot, department: events, capabilities: { actions: ["*"], targets: ["*"] } }
              - { id: catering-bot, department: catering, capabilities: { actions: ["*"], targets: ["*"] } }
            pools:
              - { id: shared, budgets: [ { window: MONTH, limitMicros: 1000000000 } ] }
            """;

    @TempDir Path dir;

    @Test
    void shouldCatchEveryConflictBetweenAgentsOnDifferentPartitionsExactlyOnce() throws Exception {
        assertThat(partition("ops-planner")).isNotEqualTo(partition("facilities-bot"));
        assertThat(partition("events-bot")).isNotIn(partition("ops-planner"), partition("facilities-bot"));
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, "resource-conflict-it")
                    .with(ConfigKeys.TOPIC_PARTITIONS, String.valueOf(PARTITIONS))
                    .with(ConfigKeys.POLICY_FILE, policy.toString())
                    .with(ConfigKeys.HTTP_PORT, "0");
            MediatorApp first = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("a").toString()), new HealthState());
            try (MediatorApp second = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("b").toString()), new HealthState())) {
                first.awaitRunning(Duration.ofSeconds(60));
                second.awaitRunning(Duration.ofSeconds(60));
                Topics topics = first.topics();

                // Two agents on different partitions book the same rooms over overlapping hours, interleaved,
                // and each spends 300 of the shared pool's 1000 per booking.
                List<AgentIntent> batch = new ArrayList<>();
                for (int room = 0; room < ROOMS; room++) {
                    batch.add(booking("ops-" + room, "ops-planner", room, NINE, NINE.plus(Duration.ofHours(1)), room < 2 ? 300_000_000 : 0));
                    batch.add(booking("fac-" + room, "facilities-bot", room, NINE.plusSeconds(1800), NINE.plus(Duration.ofHours(2)),
                            room < 2 ? 300_000_000 : 0));
                }
                send(broker, topics, batch);
                Map<String, List<Decision>> decided = decisions(broker, topics, batch.size());

                assertThat(decided.values()).allSatisfy(each -> assertThat(each).hasSize(1));
                for (int room = 0; room < ROOMS; room++) {
                    Decision ops = decided.get("ops-" + room).get(0);
                    Decision fac = decided.get("fac-" + room).get(0);
                    if (room < 2) {
                        continue;
                    }
                    assertThat(List.of(ops.getOutcome(), fac.getOutcome())).as("room %d", room)
                            .containsExactlyInAnyOrder(DecisionOutcome.EXECUTE, DecisionOutcome.ESCALATE);
                    Decision loser = ops.getOutcome() == DecisionOutcome.ESCALATE ? ops : fac;
                    Decision winner = loser == ops ? fac : ops;
                    assertThat(conflict(loser).getMessage()).contains("room:" + room, "agent " + winner.getAgentId(),
                            "intent " + winner.getIntentId());
                }
                // Rooms 0 and 1 also charge the pool: 4 × 300 of 1000, so exactly one of the four is refused.
                List<Decision> pooled = List.of(decided.get("ops-0").get(0), decided.get("fac-0").get(0), decided.get("ops-1").get(0),
                        decided.get("fac-1").get(0));
                assertThat(pooled.stream().filter(d -> d.getReasons().stream()
                        .anyMatch(r -> r.getCode() == ReasonCode.POOL_BUDGET_EXCEEDED)).count()).isEqualTo(1);

                // Two agents each book the same two rooms at once, listed in opposite orders: walked in the order each
                // lists them, each took its first room and met the other holding its second, and both were escalated.
                List<AgentIntent> pairs = new ArrayList<>();
                for (int pair = 0; pair < ROOMS; pair++) {
                    String roomA = "room:pair-" + pair + "-a";
                    String roomB = "room:pair-" + pair + "-b";
                    pairs.add(twoRooms("evp-" + pair, "events-bot", roomA, roomB));
                    pairs.add(twoRooms("cat-" + pair, "catering-bot", roomB, roomA));
                }
                send(broker, topics, pairs);
                Map<String, List<Decision>> paired = decisions(broker, topics, batch.size() + pairs.size());
                for (int pair = 0; pair < ROOMS; pair++) {
                    assertThat(List.of(paired.get("evp-" + pair).get(0).getOutcome(), paired.get("cat-" + pair).get(0).getOutcome()))
                            .as("pair %d", pair).containsExactlyInAnyOrder(DecisionOutcome.EXECUTE, DecisionOutcome.ESCALATE);
                }

                // When one instance goes away, the other takes its partitions and the holds with them.
                first.close();
                second.awaitRunning(Duration.ofSeconds(90));
                List<AgentIntent> late = new ArrayList<>();
                for (int room = 2; room < ROOMS; room++) {
                    late.add(booking("evt-" + room, "events-bot", room, NINE.plusSeconds(3000), NINE.plusSeconds(4000), 0));
                }
                send(broker, topics, late);
                Map<String, List<Decision>> after = decisions(broker, topics, batch.size() + pairs.size() + late.size());
                for (int room = 2; room < ROOMS; room++) {
                    assertThat(after.get("evt-" + room)).singleElement().satisfies(decision ->
                            assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.ESCALATE));
                }
            } finally {
                first.close();
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private static int partition(String agentId) {
        return Utils.toPositive(Utils.murmur2(agentId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static Reason conflict(Decision decision) {
        return decision.getReasons().stream().filter(r -> r.getCode() == ReasonCode.RESOURCE_CONFLICT).findFirst().orElseThrow();
    }

    private static AgentIntent booking(String intentId, String agentId, int room, Instant from, Instant until, long cost) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("room.book").setTarget("calendar")
                .setCostMicros(cost).setCommitmentMicros(0).setConfidence(0.9)
                .setClaims(List.of(new ResourceClaim("room:" + room, 1L, from, until))).build();
    }

    private static AgentIntent twoRooms(String intentId, String agentId, String listedFirst, String listedSecond) {
        Instant from = NINE.plus(Duration.ofHours(3));
        Instant until = from.plus(Duration.ofHours(1));
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("room.book").setTarget("calendar")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.9)
                .setClaims(List.of(new ResourceClaim(listedFirst, 1L, from, until), new ResourceClaim(listedSecond, 1L, from, until)))
                .build();
    }

    private static void send(EmbeddedKafkaBroker broker, Topics topics, List<AgentIntent> intents) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (AgentIntent intent : intents) {
                producer.send(new ProducerRecord<>(topics.intents().name(), null, Instant.now().toEpochMilli(),
                        intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                        topics.intentSerde().serializer().serialize(topics.intents().name(), intent)));
            }
            producer.flush();
        }
    }

    /** Every decision on the three topics, by intent, once {@code expected} have been read. */
    private static Map<String, List<Decision>> decisions(EmbeddedKafkaBroker broker, Topics topics, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                topics.decisions().stream().map(t -> t.name()).toList(), expected, Duration.ofSeconds(90));
        Map<String, List<Decision>> byIntent = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Decision decision = topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value());
            byIntent.computeIfAbsent(decision.getIntentId(), id -> new ArrayList<>()).add(decision);
        }
        assertThat(byIntent.values().stream().mapToInt(List::size).sum()).as("decisions read: %s",
                byIntent.keySet().stream().sorted().collect(Collectors.joining(","))).isEqualTo(expected);
        return byIntent;
    }
}
