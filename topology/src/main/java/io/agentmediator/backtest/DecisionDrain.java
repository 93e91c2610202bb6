package io.agentmediator.backtest;

import io.agentmediator.schema.Decision;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Takes the decisions a driver has produced since the last call, across the three decision topics,
 * in one deterministic order.
 *
 * <p>The driver queues each topic's output separately, so the order between topics is not
 * recorded. Within one call, decisions are therefore merged by record timestamp, ties going to the
 * topic order EXECUTE, ESCALATE, REJECT; each topic's own order is always kept. Callers drain after
 * every step (a clock move, a record), so this only orders decisions caused by the same step.
 *
 * <p>Everything else the driver produced (case files, dead letters) is read and dropped, because the
 * driver keeps output until it is read and a long backtest must not fill memory with it.
 */
final class DecisionDrain {

    private final TopologyTestDriver driver;
    private final List<TestOutputTopic<String, Decision>> decisionTopics;
    private final Set<String> decisionTopicNames;
    private final Map<String, TestOutputTopic<byte[], byte[]>> otherTopics = new HashMap<>();

    DecisionDrain(TopologyTestDriver driver, Topics topics) {
        this.driver = driver;
        this.decisionTopics =
                topics.decisions().stream()
                        .map(topic -> driver.createOutputTopic(
                                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer()))
                        .toList();
        this.decisionTopicNames = topics.decisions().stream().map(TopicSpec::name).collect(Collectors.toSet());
    }

    /**
     * What the driver produced since the last call: its decisions, and whether it wrote anything at all (a decision, a case
     * file, a store's changelog record). A check's pass that stopped at its bound has changed something, even when it
     * decided nothing (an answered escalation taken off the deadline index); one that found nothing due writes nothing.
     */
    record Drained(List<Decision> decisions, boolean wrote) {}

    Drained drain() {
        boolean wrote = false;
        for (String topic : driver.producedTopicNames()) {
            if (!decisionTopicNames.contains(topic)) {
                wrote |= !otherTopics
                        .computeIfAbsent(topic, name -> driver.createOutputTopic(
                                name, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()))
                        .readRecordsToList().isEmpty();
            }
        }
        List<Decision> decisions = merge(decisionTopics.stream().map(TestOutputTopic::readRecordsToList).toList());
        return new Drained(decisions, wrote || !decisions.isEmpty());
    }

    /** Merges per-topic lists by timestamp; on equal timestamps the earlier topic in the list goes first. */
    private static List<Decision> merge(List<List<TestRecord<String, Decision>>> byTopic) {
        int[] next = new int[byTopic.size()];
        List<Decision> merged = new ArrayList<>();
        while (true) {
            int pick = -1;
            for (int topic = 0; topic < byTopic.size(); topic++) {
                if (next[topic] < byTopic.get(topic).size()
                        && (pick < 0 || timestamp(byTopic, topic, next) < timestamp(byTopic, pick, next))) {
                    pick = topic;
                }
            }
            if (pick < 0) {
                return merged;
            }
            merged.add(byTopic.get(pick).get(next[pick]++).value());
        }
    }

    private static long timestamp(List<List<TestRecord<String, Decision>>> byTopic, int topic, int[] next) {
        return byTopic.get(topic).get(next[topic]).getRecordTime().toEpochMilli();
    }
}
