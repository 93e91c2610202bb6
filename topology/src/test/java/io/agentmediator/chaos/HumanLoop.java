package io.agentmediator.chaos;

import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The people and systems around the mediator in a chaos run, for the contended agents: an approver
 * who answers their escalations and an executor that reports on their executed intents, each reading
 * the decision topics read_committed as they would, answering as soon as it reads, signing what it
 * sends, and sending about 3 % of its answers twice (a retry). Answers carry the run's event time
 * (that of the last intent sent), as every record of the run does.
 *
 * <p>What it answers is drawn from the run's seed and the intent id, so a rerun answers alike: an
 * escalation is approved (45 %), denied (40 %) or left open; one that names a RESOURCE_CONFLICT is
 * always denied, because an approved conflict takes its holds whatever the capacity, which would
 * spoil the check that no resource is ever held over its capacity. An execution is reported
 * COMPLETED at a lower actual cost (45 %), COMPLETED at the estimate (20 %), FAILED (15 %),
 * COMPENSATED (10 %), or never. What was sent is kept for {@link ContendedChecks}.
 */
final class HumanLoop implements AutoCloseable {

    private final Topics topics;
    private final long seed;
    private final LongSupplier eventNowMillis;
    private final Map<String, ApprovalDecision> approvals = new ConcurrentHashMap<>();
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Set<String> initialDecisionsSeen = ConcurrentHashMap.newKeySet();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong lastReadNanos = new AtomicLong(System.nanoTime());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private HumanLoop(String bootstrapServers, Topics topics, long seed, LongSupplier eventNowMillis) {
        this.topics = topics;
        this.seed = seed;
        this.eventNowMillis = eventNowMillis;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "human-loop-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        thread = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                    KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrapServers)) {
                List<TopicPartition> partitions = topics.decisions().stream()
                        .flatMap(t -> consumer.partitionsFor(t.name()).stream().map(p -> new TopicPartition(p.topic(), p.partition())))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        lastReadNanos.set(System.nanoTime());
                        answer(producer, topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value()));
                    }
                }
            } catch (RuntimeException e) {
                failures.add("the human loop stopped: " + e);
            }
        }, "chaos-human-loop");
        thread.setDaemon(true);
    }

    static HumanLoop start(String bootstrapServers, Topics topics, long seed, LongSupplier eventNowMillis) {
        HumanLoop loop = new HumanLoop(bootstrapServers, topics, seed, eventNowMillis);
        loop.thread.start();
        return loop;
    }

    private void answer(KafkaProducer<byte[], byte[]> producer, Decision decision) {
        if (!ChaosEvents.contended(decision.getAgentId())) {
            return;
        }
        if (!ContendedChecks.answer(decision)) {
            initialDecisionsSeen.add(decision.getIntentId());
            if (decision.getOutcome() == DecisionOutcome.ESCALATE) {
                approve(producer, decision);
            }
        }
        if (decision.getOutcome() == DecisionOutcome.EXECUTE && !ContendedChecks.has(decision, ReasonCode.DUPLICATE)) {
            report(producer, decision);
        }
    }

    private void approve(KafkaProducer<byte[], byte[]> producer, Decision escalation) {
        Random draw = draw(escalation.getIntentId());
        int roll = draw.nextInt(100);
        ApprovalDecision answer = ContendedChecks.has(escalation, ReasonCode.RESOURCE_CONFLICT) || (roll >= 45 && roll < 85) ? ApprovalDecision.DENY
                : roll < 45 ? ApprovalDecision.APPROVE : null;
        if (answer == null || approvals.putIfAbsent(escalation.getIntentId(), answer) != null) {
            return;
        }
        Approval approval = new Approval(escalation.getIntentId(), ChaosEvents.APPROVER, answer, null, null, null);
        send(producer, topics.approvals().name(), escalation.getIntentId(), ChaosEvents.APPROVER,
                topics.approvalSerde().serializer().serialize(topics.approvals().name(), approval), draw);
    }

    private void report(KafkaProducer<byte[], byte[]> producer, Decision execution) {
        Random draw = draw(execution.getIntentId() + " outcome");
        int roll = draw.nextInt(100);
        long cost = execution.getCostMicros();
        Outcome outcome = roll < 45 ? outcome(execution, OutcomeStatus.COMPLETED, cost * (50 + draw.nextInt(51)) / 100)
                : roll < 65 ? outcome(execution, OutcomeStatus.COMPLETED, null)
                : roll < 80 ? outcome(execution, OutcomeStatus.FAILED, null)
                : roll < 90 ? outcome(execution, OutcomeStatus.COMPENSATED, null)
                : null;
        if (outcome == null || outcomes.putIfAbsent(execution.getIntentId(), outcome) != null) {
            return;
        }
        send(producer, topics.outcomes().name(), execution.getIntentId(), ChaosEvents.EXECUTOR,
                topics.outcomeSerde().serializer().serialize(topics.outcomes().name(), outcome), draw);
    }

    private static Outcome outcome(Decision execution, OutcomeStatus status, Long actualCostMicros) {
        return Outcome.newBuilder().setIntentId(execution.getIntentId()).setStatus(status).setActualCostMicros(actualCostMicros)
                .setReportedBy(ChaosEvents.EXECUTOR).build();
    }

    private void send(KafkaProducer<byte[], byte[]> producer, String topic, String intentId, String signer, byte[] value, Random draw) {
        int copies = draw.nextInt(100) < 3 ? 2 : 1;
        for (int copy = 0; copy < copies; copy++) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, eventNowMillis.getAsLong(),
                    intentId.getBytes(StandardCharsets.UTF_8), value, TestKeys.signedBy(signer, value));
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    failures.add("answer to " + intentId + " on " + topic + " refused: " + error);
                }
            });
        }
    }

    private Random draw(String what) {
        return new Random(seed * 1_000_003L + what.hashCode());
    }

    /**
     * Waits until an initial decision of each of {@code intentIds} has been read and answered and
     * nothing new has been read for {@code quiet}, or {@code timeout} has passed: what was answered is
     * then all there will be.
     */
    void awaitAnswered(Set<String> intentIds, Duration quiet, Duration timeout) throws InterruptedException {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - giveUpAt < 0
                && !(initialDecisionsSeen.containsAll(intentIds) && System.nanoTime() - lastReadNanos.get() > quiet.toNanos())) {
            Thread.sleep(200);
        }
    }

    /** Escalations answered, by intent id. */
    Map<String, ApprovalDecision> approvals() {
        return approvals;
    }

    /** Outcomes reported, by intent id. */
    Map<String, Outcome> outcomes() {
        return outcomes;
    }

    /** Answers the broker refused, and the loop's own end if it failed. */
    List<String> failures() {
        return failures;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }
}
