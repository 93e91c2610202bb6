package io.agentmediator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.contract.Contracts;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.partition.GateStores;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.ledger.LedgerStores;
import io.agentmediator.registry.HttpSchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.testing.ApicurioRegistry;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MediatorProcess;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A month of traffic through the shipped jar on the real broker: one agent alone with a MONTH budget,
 * and twenty agents sharing one pool. Every intent is decided once, the stream threads live through
 * it, the budgets at the end hold exactly the admitted costs, and no record on any changelog topic
 * comes near Kafka's 1 MB limit (the v1 budget ledger passed it after ~8,000 intents of one agent).
 *
 * <p>{@code -Dsoak.intents=100000} runs each part with 100,000 intents; the default of 10,000 keeps the
 * suite within its time budget and is still past the 8,319 intents at which the v1 ledger broke.
 */
@Tag("slow")
class StateStaysSmallIT {

    private static final int INTENTS = Integer.getInteger("soak.intents", 10_000);
    private static final int LARGEST_RECORD = 64 * 1024;
    private static final int POOL_AGENTS = 20;
    /** Each intent costs 1,000 micros: the agent's month admits three quarters of its intents, the pool's three fifths. */
    private static final long SOLO_LIMIT = INTENTS * 1_000L * 3 / 4;
    private static final long POOL_LIMIT = INTENTS * 1_000L * 3 / 5;
    /** Last calendar month, in the past as brokers refuse timestamps far ahead; every intent falls in it. */
    private static final YearMonth MONTH = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
    private static final Instant START = MONTH.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final Instant END = MONTH.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();

    @TempDir Path dir;

    @Test
    void shouldDecideAMonthOfOneAgentAndOfAPoolOnceWithExactBudgetsAndSmallRecords() throws Exception {
        Path policyFile = Files.writeString(dir.resolve("policy.yaml"), policy());
        Contracts.trustGeneratedClasses();
        // The month's intents carry last month's timestamps and are produced faster than they are decided: under
        // the broker's default 7-day retention, segments of them would be deleted before the mediator read them (as
        // in any Kafka cluster, a backlog older than its topic's retention is lost), so this broker keeps everything.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(3).brokerProperty("log.retention.ms", -1).start();
                ApicurioRegistry registry = ApicurioRegistry.start()) {
            Topics topics = new Topics("agent.", HttpSchemaRegistryClient.create(registry.ccompatUrl(), Map.of()));
            AvroSerde<AgentIntent> serde = new AvroSerde<>(AgentIntent.class);
            serde.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);

            // Last month replayed with its own times: the windows it fills are what the test measures.
            try (MediatorProcess mediator = MediatorProcess.start(dir, "state-stays-small", MediatorProcess.keepingProducerTimes(
                    broker.bootstrapServers(), registry.ccompatUrl(), policyFile, "state-stays-small-it", dir.resolve("state")), "-Xmx1g")) {

                // Given a month of one agent alone, then a month of twenty agents sharing one pool
                List<AgentIntent> alone = new ArrayList<>();
                List<AgentIntent> pooled = new ArrayList<>();
                for (int i = 0; i < INTENTS; i++) {
                    alone.add(intent("solo", 1_000));
                    pooled.add(intent("member-" + (i % POOL_AGENTS), 1_000));
                }
                produce(broker, topics, serde, alone);
                produce(broker, topics, serde, pooled);

                // When every one is decided
                Map<String, Decision> decided = decisions(broker, topics, 2 * INTENTS);

                // Then each exactly once, with the process alive and ready all along
                assertThat(mediator.process().isAlive()).as("see " + mediator.log()).isTrue();
                assertThat(mediator.status("/health/ready")).isEqualTo(200);
                assertThat(decided).hasSize(2 * INTENTS);

                // And the budgets hold exactly the admitted costs, and refused only once the limits were reached
                long soloAdmitted = admitted(alone, decided);
                long poolAdmitted = admitted(pooled, decided);
                assertThat(soloAdmitted).isEqualTo(Math.min(INTENTS, SOLO_LIMIT / 1_000) * 1_000L);
                assertThat(poolAdmitted).isEqualTo(Math.min(INTENTS, POOL_LIMIT / 1_000) * 1_000L);
                assertThat(refusedWith(pooled, decided, ReasonCode.POOL_BUDGET_EXCEEDED)).isEqualTo(INTENTS - poolAdmitted / 1_000);
                Map<String, WindowBalance> agentBalances = balances(broker, GateStores.BUDGETS.balances());
                Map<String, WindowBalance> poolBalances = balances(broker, LedgerStores.POOLS.balances());
                // (reserved, or spent for the cases housekeeping forgot unreported: the month is replayed with its own times, so
                // its first days are already past case.retention on the wall clock, by a number of days that depends on today's)
                String monthKey = "MONTH:" + MONTH;
                assertThat(used(agentBalances.get(StoreKeys.scoped("solo", monthKey)))).isEqualTo(soloAdmitted);
                assertThat(used(poolBalances.get(StoreKeys.scoped("shared", monthKey)))).isEqualTo(poolAdmitted);

                // And no changelog record anywhere comes near the broker's limit
                Map<String, Integer> largest = largestChangelogRecords(broker);
                // Printed for docs/OPERATIONS.md, which records the figures of the last long run.
                System.out.printf("StateStaysSmallIT: %d intents per part decided; admitted solo %d, pool %d; largest changelog records (bytes): %s%n",
                        INTENTS, soloAdmitted / 1_000, poolAdmitted / 1_000, new java.util.TreeMap<>(largest));
                assertThat(largest).isNotEmpty().allSatisfy((topic, size) -> assertThat(size).as(topic).isLessThan(LARGEST_RECORD));
            }
        }
    }

    private static String policy() {
        StringBuilder yaml = new StringBuilder("""
                version: "state-stays-small-1"
                tiers: [MANAGER]
                agents:
                  - id: solo
                    capabilities: { actions: ["*"], targets: ["*"] }
                    budgets: [ { window: MONTH, limitMicros: %d } ]
                """.formatted(SOLO_LIMIT));
        for (int a = 0; a < POOL_AGENTS; a++) {
            yaml.append("  - { id: member-").append(a).append(", capabilities: { actions: [\"*\"], targets: [\"*\"] }, pool: shared }\n");
        }
        yaml.append("pools:\n  - { id: shared, budgets: [ { window: MONTH, limitMicros: ").append(POOL_LIMIT).append(" } ] }\n");
        return yaml.toString();
    }

    private static AgentIntent intent(String agentId, long cost) {
        return AgentIntent.newBuilder().setIntentId(UUID.randomUUID().toString()).setAgentId(agentId).setAction("llm.call")
                .setTarget("llm:small").setCostMicros(cost).setConfidence(0.9).build();
    }

    private static long used(WindowBalance balance) {
        return balance.reservedMicros() + balance.spentMicros();
    }

    /** Spread evenly over the month, in order, as one agent's traffic would be. */
    private static void produce(EmbeddedKafkaBroker broker, Topics topics, AvroSerde<AgentIntent> serde, List<AgentIntent> intents)
            throws Exception {
        long step = Duration.between(START, END).toMillis() / intents.size();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < intents.size(); i++) {
                AgentIntent intent = intents.get(i);
                sent.add(producer.send(new ProducerRecord<>(topics.intents().name(), null, START.toEpochMilli() + step * i,
                        intent.getAgentId().getBytes(StandardCharsets.UTF_8), serde.serializer().serialize(topics.intents().name(), intent))));
            }
        }
        for (Future<RecordMetadata> future : sent) {
            future.get();
        }
    }

    private static Map<String, Decision> decisions(EmbeddedKafkaBroker broker, Topics topics, int expected) {
        List<String> names = topics.decisions().stream().map(t -> t.name()).toList();
        Map<String, Decision> decided = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : KafkaTestClients.readCommitted(broker.bootstrapServers(), names, expected,
                Duration.ofMinutes(30))) {
            Decision decision = topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value());
            assertThat(decided.put(decision.getIntentId(), decision)).as("a second decision for " + decision.getIntentId()).isNull();
        }
        return decided;
    }

    private static long admitted(List<AgentIntent> intents, Map<String, Decision> decided) {
        return intents.stream().filter(i -> decided.get(i.getIntentId()).getOutcome() == DecisionOutcome.EXECUTE)
                .mapToLong(AgentIntent::getCostMicros).sum();
    }

    private static long refusedWith(List<AgentIntent> intents, Map<String, Decision> decided, ReasonCode code) {
        return intents.stream().filter(i -> decided.get(i.getIntentId()).getReasons().stream().anyMatch(r -> r.getCode() == code)).count();
    }

    private static Map<String, WindowBalance> balances(EmbeddedKafkaBroker broker, String store) {
        String changelog = "state-stays-small-it-" + store + "-changelog";
        Map<String, WindowBalance> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(changelog), Integer.MAX_VALUE, Duration.ofSeconds(20))) {
            latest.put(new String(record.key(), StandardCharsets.UTF_8), BudgetSerdes.balances().deserializer().deserialize(changelog, record.value()));
        }
        return latest;
    }

    /** The largest value on each changelog topic, read back from the broker. */
    private static Map<String, Integer> largestChangelogRecords(EmbeddedKafkaBroker broker) throws Exception {
        Set<String> changelogs;
        try (Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
            changelogs = admin.listTopics().names().get().stream().filter(name -> name.endsWith("-changelog")).collect(Collectors.toSet());
        }
        Map<String, Integer> largest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                KafkaTestClients.readCommitted(broker.bootstrapServers(), List.copyOf(changelogs), Integer.MAX_VALUE, Duration.ofSeconds(60))) {
            int size = record.value() == null ? 0 : record.value().length;
            largest.merge(record.topic(), size, Math::max);
        }
        return largest;
    }
}
