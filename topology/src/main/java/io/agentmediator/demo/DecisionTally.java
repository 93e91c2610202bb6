package io.agentmediator.demo;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Counts what the pipeline committed on the decision topics and the dead-letter topic, reading
 * only committed transactions, the way an executor would.
 *
 * <p>An intent may be decided more than once: an escalation is later answered (APPROVED, DENIED)
 * or closed (ESCALATION_EXPIRED, AGENT_SUSPENDED). The summary counts each intent's first
 * decision, so it adds up to the records sent; the answers are kept apart as follow-ups.
 */
public final class DecisionTally implements AutoCloseable {

    /** Codes only an answer to an escalation carries; the gate never decides with them. */
    private static final Set<ReasonCode> ANSWER_CODES = EnumSet.of(ReasonCode.APPROVED, ReasonCode.DENIED, ReasonCode.ESCALATION_EXPIRED);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String deadLetterTopic;
    private final Deserializer<Decision> decisions;
    private final Map<String, Decision> firsts = new HashMap<>();
    private final List<Decision> followUps = new ArrayList<>();
    private final Set<String> answered = new HashSet<>();
    private long deadLettered;

    public DecisionTally(String bootstrapServers, Topics topics) {
        this.decisions = topics.execute().valueSerde().deserializer();
        this.deadLetterTopic = topics.intentsDlq().name();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "agent-mediator-demo-tally");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.execute().name(), topics.escalate().name(), topics.reject().name(), deadLetterTopic));
    }

    /** Polls until {@code expected} intents have their first decision (or were dead-lettered) or the timeout passes. */
    public long awaitTotal(long expected, Duration timeout) {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (total() < expected && System.nanoTime() - giveUpAt < 0) {
            poll();
        }
        return total();
    }

    /** Polls until {@code expected} follow-up decisions arrived or the timeout passes; returns how many did. */
    public long awaitFollowUps(long expected, Duration timeout) {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (followUps.size() < expected && System.nanoTime() - giveUpAt < 0) {
            poll();
        }
        return followUps.size();
    }

    private void poll() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.topic().equals(deadLetterTopic)) {
                deadLettered++;
            } else {
                remember(decisions.deserialize(record.topic(), record.value()));
            }
        }
    }

    private void remember(Decision decision) {
        String intentId = decision.getIntentId();
        Decision earlier = firsts.get(intentId);
        if (earlier == null && !ANSWER_CODES.contains(firstCode(decision))) {
            firsts.put(intentId, decision);
            return;
        }
        if (earlier != null && earlier.getOutcome() != DecisionOutcome.ESCALATE && decision.getOutcome() == DecisionOutcome.ESCALATE) {
            // The decision topics are read side by side, so an answer can overtake its escalation.
            firsts.put(intentId, decision);
            followUps.add(earlier);
        } else {
            followUps.add(decision);
        }
        answered.add(intentId);
    }

    /** Intents whose first decision is ESCALATE and that nobody has answered yet, oldest first. */
    public List<Decision> unansweredEscalations() {
        return firsts.values().stream()
                .filter(decision -> decision.getOutcome() == DecisionOutcome.ESCALATE && !answered.contains(decision.getIntentId()))
                .sorted(Comparator.comparing(Decision::getDecidedAt).thenComparing(Decision::getIntentId))
                .toList();
    }

    /** Every EXECUTE seen, first decisions and approvals alike, oldest first: what executors carry out. */
    public List<Decision> executed() {
        return Stream.concat(firsts.values().stream(), followUps.stream())
                .filter(decision -> decision.getOutcome() == DecisionOutcome.EXECUTE)
                .sorted(Comparator.comparing(Decision::getDecidedAt).thenComparing(Decision::getIntentId))
                .toList();
    }

    /** First decisions giving {@code code} among their reasons, oldest first. */
    public List<Decision> firstsWith(ReasonCode code) {
        return firsts.values().stream()
                .filter(decision -> decision.getReasons().stream().anyMatch(reason -> reason.getCode() == code))
                .sorted(Comparator.comparing(Decision::getDecidedAt).thenComparing(Decision::getIntentId))
                .toList();
    }

    /** The follow-up decisions seen so far. */
    public List<Decision> followUps() {
        return List.copyOf(followUps);
    }

    /** How many follow-ups gave {@code code} as their reason. */
    public long followUps(ReasonCode code) {
        return followUps.stream().filter(decision -> firstCode(decision) == code).count();
    }

    /**
     * One line per outcome and first reason: how many, and one example of what the agent was told;
     * first decisions, then the follow-ups.
     */
    public List<String> breakdown() {
        List<String> lines = new ArrayList<>(lines(firsts.values()));
        if (!followUps.isEmpty()) {
            lines.add("  then, answering escalations:");
            lines.addAll(lines(followUps));
        }
        return lines;
    }

    private static List<String> lines(Collection<Decision> decided) {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> examples = new HashMap<>();
        for (Decision decision : decided) {
            Reason first = decision.getReasons().isEmpty() ? null : decision.getReasons().get(0);
            String key = String.format("%-8s %s", decision.getOutcome(), first == null ? "-" : first.getCode());
            counts.merge(key, 1L, Long::sum);
            if (first != null) {
                examples.putIfAbsent(key, decision.getAgentId() + ": " + first.getMessage());
            }
        }
        return counts.entrySet().stream()
                .map(e -> String.format("  %-34s %6d  %s", e.getKey(), e.getValue(), examples.getOrDefault(e.getKey(), "")))
                .toList();
    }

    private static ReasonCode firstCode(Decision decision) {
        return decision.getReasons().isEmpty() ? null : decision.getReasons().get(0).getCode();
    }

    /** Intents with a first decision, plus records dead-lettered. */
    public long total() {
        return firsts.size() + deadLettered;
    }

    /** How many intents were first decided with {@code outcome}. */
    public long count(DecisionOutcome outcome) {
        return firsts.values().stream().filter(decision -> decision.getOutcome() == outcome).count();
    }

    public long deadLettered() {
        return deadLettered;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
