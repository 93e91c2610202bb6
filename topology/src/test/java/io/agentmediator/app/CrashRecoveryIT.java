package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.backtest.Backtest;
import io.agentmediator.backtest.BacktestEvent;
import io.agentmediator.budget.BudgetSerdes;
import io.agentmediator.budget.WindowBalance;
import io.agentmediator.contract.Contracts;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.HttpSchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.testing.ApicurioRegistry;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MediatorProcess;
import io.agentmediator.testing.StoredBudgets;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once, proved the way Kafka's own EOS tests prove it: the mediator (the shipped jar, as
 * its own process) is killed with SIGKILL in the middle of a stream, a new one takes over with
 * empty local state, and afterwards every committed decision is compared with a replay of the
 * same input through the same topology in process. No intent may have two decisions or none, and
 * each agent's budget ledger, restored from its changelog, must hold exactly the costs of the
 * intents it admitted.
 */
@Tag("slow")
class CrashRecoveryIT {

    private static final int AGENTS = 12;
    private static final int BEFORE_CRASH = 3_000;
    private static final int AFTER_CRASH = 1_000;
    private static final long DAY_LIMIT = 40_000_000L;
    /** Yesterday 01:00 UTC: in the past, as brokers refuse timestamps far ahead, and the whole run falls in one day. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofHours(23));

    @TempDir Path dir;

    @Test
    void shouldDecideEveryIntentExactlyOnceAcrossAKillAndKeepBudgetsExact() throws Exception {
        Path policyFile = dir.resolve("policy.yaml");
        Files.writeString(policyFile, policyYaml());
        Contracts.trustGeneratedClasses();
        List<AgentIntent> intents = intents(BEFORE_CRASH + AFTER_CRASH);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(3).start();
                ApicurioRegistry registry = ApicurioRegistry.start()) {
            Topics topics = new Topics("agent.", HttpSchemaRegistryClient.create(registry.ccompatUrl(), Map.of()));
            AvroSerde<AgentIntent> agentSerde = new AvroSerde<>(AgentIntent.class);
            agentSerde.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);

            // Given a mediator process deciding a stream of intents
            MediatorProcess first = startMediator(broker, registry, policyFile, "state-1", "first");
            try {
                // Agents send at a steady pace, so the stream is still arriving when the mediator dies
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
                        produce(broker, topics, agentSerde, intents.subList(0, BEFORE_CRASH), 0, Duration.ofMillis(5)));
                awaitDecisions(broker, topics, 300, Duration.ofSeconds(120));

                // When it is killed without warning in the middle of the stream
                first.kill();
                int committedAtKill = KafkaTestClients.readCommitted(
                        broker.bootstrapServers(), decisionTopics(topics), BEFORE_CRASH, Duration.ofSeconds(10)).size();
                assertThat(committedAtKill).as("decisions committed by the killed mediator: the kill must come mid-stream")
                        .isGreaterThanOrEqualTo(300).isLessThan(BEFORE_CRASH);
                sending.get();
            } finally {
                first.close();
            }

            // And a new one, with no local state, takes over while agents keep sending
            MediatorProcess second = startMediator(broker, registry, policyFile, "state-2", "second");
            try {
                produce(broker, topics, agentSerde, intents.subList(BEFORE_CRASH, intents.size()), BEFORE_CRASH, Duration.ZERO);
                awaitDecisions(broker, topics, intents.size(), Duration.ofSeconds(180));

                // Then every intent has exactly one committed decision, equal to the replay's
                Map<String, Decision> committed = committedDecisions(broker, topics, intents.size());
                Map<String, Decision> replayed = replay(policyFile, intents);
                assertThat(committed).hasSize(intents.size());
                for (AgentIntent intent : intents) {
                    Decision actual = committed.get(intent.getIntentId());
                    Decision expected = replayed.get(intent.getIntentId());
                    assertThat(actual.getOutcome()).as(intent.getIntentId()).isEqualTo(expected.getOutcome());
                    assertThat(actual.getReasons()).as(intent.getIntentId()).isEqualTo(expected.getReasons());
                }
                assertThat(committed.values()).extracting(Decision::getOutcome).contains(DecisionOutcome.REJECT, DecisionOutcome.EXECUTE);

                // And each budget, as its changelog restores it, holds exactly the admitted costs
                Map<String, Long> admitted = intents.stream()
                        .filter(i -> committed.get(i.getIntentId()).getOutcome() != DecisionOutcome.REJECT)
                        .collect(Collectors.groupingBy(AgentIntent::getAgentId, Collectors.summingLong(AgentIntent::getCostMicros)));
                Map<String, WindowBalance> balances = balancesFromChangelog(broker);
                Policy policy = PolicySource.load(policyFile.toString()).policy();
                for (int a = 0; a < AGENTS; a++) {
                    String agent = agentId(a);
                    long reserved = StoredBudgets.usage(balances, agent, T0, policy.agent(agent).orElseThrow().budgets(), ZoneOffset.UTC)
                            .get(0).reservedMicros();
                    assertThat(reserved).as(agent).isEqualTo(admitted.getOrDefault(agent, 0L)).isLessThanOrEqualTo(DAY_LIMIT);
                }
            } finally {
                second.close();
            }
        }
    }

    private MediatorProcess startMediator(EmbeddedKafkaBroker broker, ApicurioRegistry registry, Path policyFile, String stateDir,
                                          String name) throws Exception {
        return MediatorProcess.start(dir, "crash-recovery-" + name, Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", "crash-recovery-it",
                "schema.registry.url", registry.ccompatUrl(),
                "policy.file", policyFile.toString(),
                "state.dir", dir.resolve(stateDir).toString(),
                // A day replayed with its own event times, to compare with the backtest of the same events.
                "topic.intents.timestamp.type", "CreateTime",
                // Long transactions, so the kill lands inside one with work to throw away.
                "commit.interval.ms", "2000"), "-Xmx512m");
    }

    /** Sends the batch in order, {@code pause} apart, and waits until the broker has every record. */
    private static void produce(EmbeddedKafkaBroker broker, Topics topics, AvroSerde<AgentIntent> serde, List<AgentIntent> batch, int offset,
                                Duration pause) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < batch.size(); i++) {
                AgentIntent intent = batch.get(i);
                sent.add(producer.send(new ProducerRecord<>(topics.intents().name(), null, T0.plusMillis(10L * (offset + i)).toEpochMilli(),
                        intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                        serde.serializer().serialize(topics.intents().name(), intent))));
                Thread.sleep(pause.toMillis());
            }
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a record was not accepted by the broker", e.getCause());
        }
    }

    private static void awaitDecisions(EmbeddedKafkaBroker broker, Topics topics, int atLeast, Duration timeout) {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        while (seen < atLeast && System.nanoTime() - giveUpAt < 0) {
            seen = KafkaTestClients.readCommitted(broker.bootstrapServers(), decisionTopics(topics), atLeast, Duration.ofSeconds(2)).size();
        }
        assertThat(seen).as("decisions committed within " + timeout).isGreaterThanOrEqualTo(atLeast);
    }

    private static Map<String, Decision> committedDecisions(EmbeddedKafkaBroker broker, Topics topics, int expected) {
        Map<String, Decision> decisions = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                KafkaTestClients.readCommitted(broker.bootstrapServers(), decisionTopics(topics), expected, Duration.ofSeconds(30))) {
            Decision decision = topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value());
            assertThat(decisions.put(decision.getIntentId(), decision)).as("a second decision for " + decision.getIntentId()).isNull();
        }
        return decisions;
    }

    private static Map<String, WindowBalance> balancesFromChangelog(EmbeddedKafkaBroker broker) {
        String changelog = "crash-recovery-it-" + GateStores.BUDGETS.balances() + "-changelog";
        Map<String, WindowBalance> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(changelog), Integer.MAX_VALUE, Duration.ofSeconds(10))) {
            latest.put(new String(record.key(), StandardCharsets.UTF_8),
                    BudgetSerdes.balances().deserializer().deserialize(changelog, record.value()));
        }
        return latest;
    }

    /** The same input through the same topology in process: what exactly-once must have produced. */
    private static Map<String, Decision> replay(Path policyFile, List<AgentIntent> intents) {
        Policy policy = PolicySource.load(policyFile.toString()).policy();
        Map<String, Decision> decisions = new HashMap<>();
        List<BacktestEvent> events = new ArrayList<>();
        for (int i = 0; i < intents.size(); i++) {
            events.add(new BacktestEvent.IntentEvent(i + 1, T0.plusMillis(10L * i), intents.get(i)));
        }
        Backtest.run(policy, events).forEach(d -> decisions.put(d.getIntentId(), d));
        return decisions;
    }

    private static List<String> decisionTopics(Topics topics) {
        return topics.decisions().stream().map(t -> t.name()).toList();
    }

    private static List<AgentIntent> intents(int count) {
        Random random = new Random(20261121);
        List<AgentIntent> intents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            intents.add(AgentIntent.newBuilder()
                    .setIntentId("crash-" + i)
                    .setAgentId(agentId(random.nextInt(AGENTS)))
                    .setAction("invoice.create")
                    .setTarget("erp")
                    .setCostMicros(100_000L + random.nextInt(900_000))
                    .setConfidence(0.9)
                    .build());
        }
        return intents;
    }

    private static String agentId(int a) {
        return "agent-" + a;
    }

    private static String policyYaml() {
        StringBuilder yaml = new StringBuilder("version: \"crash-1\"\ntiers: [MANAGER]\nagents:\n");
        for (int a = 0; a < AGENTS; a++) {
            yaml.append("  - id: ").append(agentId(a)).append('\n')
                    .append("    capabilities: { actions: [\"invoice.*\"], targets: [\"erp\"] }\n")
                    .append("    budgets: [ { window: DAY, limitMicros: ").append(DAY_LIMIT).append(" } ]\n");
        }
        return yaml.toString();
    }
}
