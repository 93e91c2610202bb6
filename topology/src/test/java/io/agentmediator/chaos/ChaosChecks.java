package io.agentmediator.chaos;

import io.agentmediator.budget.BudgetSerdes;
import io.agentmediator.budget.WindowBalance;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What a chaos run is judged by, each check returning its failures as lines (the first few printed
 * by the test) and counting what it compared: decisions against the oracle's, the budgets' balances
 * against what the oracle admitted, the dead letters against the malformed records sent, and the
 * partitions against transactions left open.
 */
final class ChaosChecks {

    /** Failures printed per check: enough to see the pattern, not the whole run. */
    static final int SHOWN = 10;

    private final List<ChaosEvents.Event> events;
    private final Map<String, List<Decision>> oracle;
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    ChaosChecks(List<ChaosEvents.Event> events, List<Decision> oracleDecisions) {
        this.events = events;
        this.oracle = byIntent(oracleDecisions);
    }

    /** What the checks compared and found, by name: the figures of the run's report. */
    Map<String, Integer> counts() {
        return counts;
    }

    /**
     * Every intent id must have the decisions the oracle gave it, no more, no fewer: one initial decision
     * equal in outcome and reasons, and one DUPLICATE answer per retry. Order across the three decision
     * topics is not defined, so an intent's decisions are compared as a multiset.
     */
    List<String> decisions(List<Decision> actualDecisions) {
        Map<String, List<Decision>> actual = byIntent(actualDecisions);
        List<String> failures = new ArrayList<>();
        int missing = 0;
        int doubled = 0;
        int differing = 0;
        for (Map.Entry<String, List<Decision>> expected : oracle.entrySet()) {
            List<Decision> got = actual.getOrDefault(expected.getKey(), List.of());
            if (got.isEmpty()) {
                missing++;
                failures.add(expected.getKey() + ": no decision; the oracle " + describe(expected.getValue()));
            } else if (got.size() > expected.getValue().size()) {
                doubled++;
                failures.add(expected.getKey() + ": " + describe(got) + "; the oracle " + describe(expected.getValue()));
            } else if (!comparable(got).equals(comparable(expected.getValue()))) {
                differing++;
                failures.add(expected.getKey() + ": " + describe(got) + "; the oracle " + describe(expected.getValue()));
            }
        }
        for (String id : actual.keySet()) {
            if (!oracle.containsKey(id)) {
                failures.add(id + ": decided " + describe(actual.get(id)) + ", never decided by the oracle");
            }
        }
        counts.put("intent ids decided by the oracle", oracle.size());
        counts.put("decisions by the oracle", oracle.values().stream().mapToInt(List::size).sum());
        counts.put("decisions read back", actualDecisions.size());
        counts.put("missing", missing);
        counts.put("doubled", doubled);
        counts.put("differing", differing);
        for (DecisionOutcome outcome : DecisionOutcome.values()) {
            counts.put("initial " + outcome, (int) oracle.values().stream().filter(d -> d.get(0).getOutcome() == outcome).count());
        }
        oracle.values().stream().map(d -> d.get(0)).filter(d -> !d.getReasons().isEmpty())
                .collect(Collectors.groupingBy(d -> "initial " + d.getOutcome() + " " + d.getReasons().get(0).getCode(), TreeMap::new, Collectors.counting()))
                .forEach((reason, count) -> counts.put(reason, count.intValue()));
        counts.put("DUPLICATE answers by the oracle", (int) oracle.values().stream().flatMap(List::stream)
                .filter(d -> d.getReasons().stream().anyMatch(r -> r.getCode().name().equals("DUPLICATE"))).count());
        return failures;
    }

    /**
     * Each agent's budget windows, as the changelog of its balances holds them at the end, must hold
     * exactly the estimated costs of the intents the oracle admitted (executed or escalated: both keep
     * their reservation, and no outcome is sent) whose event times fall in the window; and the windows
     * of each kind, together, the costs of all of them, so that a window missing from the changelog shows.
     */
    List<String> budgets(Map<String, WindowBalance> balancesByKey) {
        Map<String, Long> expectedByWindow = new TreeMap<>();
        Map<String, Long> actualByWindow = new TreeMap<>();
        Map<String, Long> expectedTotals = new TreeMap<>();
        Map<String, Long> actualTotals = new TreeMap<>();
        Map<String, Instant> firstSent = firstSendTimes();
        List<Decision> admitted = oracle.values().stream().map(d -> d.get(0))
                .filter(d -> d.getOutcome() == DecisionOutcome.EXECUTE || d.getOutcome() == DecisionOutcome.ESCALATE).toList();
        Map<String, ChaosEvents.Event> intents = events.stream().filter(e -> !e.malformed() && !e.retry())
                .collect(Collectors.toMap(e -> e.intent().getIntentId(), Function.identity()));
        for (Map.Entry<String, WindowBalance> entry : balancesByKey.entrySet()) {
            String agent = StoreKeys.scopeOf(entry.getKey());
            WindowBalance balance = entry.getValue();
            String window = agent + " " + balance.window() + " " + balance.start();
            actualByWindow.put(window, balance.usedMicros());
            actualTotals.merge(agent + " " + balance.window(), balance.usedMicros(), Long::sum);
            expectedByWindow.put(window, admitted.stream()
                    .filter(d -> d.getAgentId().equals(agent))
                    .filter(d -> !firstSent.get(d.getIntentId()).isBefore(balance.start()) && firstSent.get(d.getIntentId()).isBefore(balance.end()))
                    .mapToLong(d -> intents.get(d.getIntentId()).intent().getCostMicros()).sum());
        }
        for (Decision decision : admitted) {
            long cost = intents.get(decision.getIntentId()).intent().getCostMicros();
            for (String kind : List.of("HOUR", "DAY")) {
                expectedTotals.merge(decision.getAgentId() + " " + kind, cost, Long::sum);
            }
        }
        List<String> failures = new ArrayList<>();
        expectedByWindow.forEach((window, expected) -> {
            if (!expected.equals(actualByWindow.get(window))) {
                failures.add("window " + window + ": used " + actualByWindow.get(window) + ", the oracle admitted " + expected);
            }
        });
        expectedTotals.forEach((kind, expected) -> {
            if (!expected.equals(actualTotals.get(kind))) {
                failures.add("all " + kind + " windows: used " + actualTotals.get(kind) + ", the oracle admitted " + expected);
            }
        });
        counts.put("budget windows compared", expectedByWindow.size());
        counts.put("budget windows equal", (int) expectedByWindow.entrySet().stream()
                .filter(e -> e.getValue().equals(actualByWindow.get(e.getKey()))).count());
        return failures;
    }

    /** Every malformed record sent must be dead-lettered once, and nothing else: a dead letter of a readable intent is one the oracle decided. */
    List<String> deadLetters(List<ConsumerRecord<byte[], byte[]>> dlq) {
        Map<ByteBuffer, Integer> expected = new HashMap<>();
        Map<ByteBuffer, Integer> readable = new HashMap<>();
        for (ChaosEvents.Event event : events) {
            (event.malformed() ? expected : readable).merge(ByteBuffer.wrap(event.value()), 1, Integer::sum);
        }
        Map<ByteBuffer, Integer> got = new HashMap<>();
        dlq.forEach(record -> got.merge(ByteBuffer.wrap(record.value()), 1, Integer::sum));
        List<String> failures = new ArrayList<>();
        got.forEach((value, count) -> {
            if (readable.containsKey(value)) {
                failures.add("dead-lettered an intent the oracle decided: " + text(value));
            } else if (!count.equals(expected.get(value))) {
                failures.add("dead-lettered " + count + " times, sent malformed " + expected.getOrDefault(value, 0) + " times: " + text(value));
            }
        });
        expected.forEach((value, count) -> {
            if (!got.containsKey(value)) {
                failures.add("malformed record not dead-lettered: " + text(value));
            }
        });
        counts.put("malformed records sent", expected.values().stream().mapToInt(Integer::intValue).sum());
        counts.put("dead letters read back", dlq.size());
        return failures;
    }

    /**
     * No partition of {@code partitions} may hold a transaction open: a producer with a transaction
     * started on it, long after the mediator went idle (the transaction timeout, 10 s under Kafka
     * Streams' exactly-once, has passed), holds back every read_committed reader of the partition.
     */
    static List<String> openTransactions(Admin admin, Set<TopicPartition> partitions) throws Exception {
        List<String> failures = new ArrayList<>();
        admin.describeProducers(partitions).all().get().forEach((partition, producers) -> {
            for (ProducerState producer : producers.activeProducers()) {
                if (producer.currentTransactionStartOffset().isPresent()) {
                    failures.add(partition + ": producer " + producer.producerId() + " epoch " + producer.producerEpoch()
                            + " has a transaction open since offset " + producer.currentTransactionStartOffset().getAsLong());
                }
            }
        });
        return failures;
    }

    private Map<String, Instant> firstSendTimes() {
        Map<String, Instant> times = new HashMap<>();
        events.stream().filter(e -> !e.malformed()).forEach(e -> times.putIfAbsent(e.intent().getIntentId(), e.at()));
        return times;
    }

    private static Map<String, List<Decision>> byIntent(List<Decision> decisions) {
        Map<String, List<Decision>> grouped = new TreeMap<>();
        decisions.forEach(d -> grouped.computeIfAbsent(d.getIntentId(), id -> new ArrayList<>()).add(d));
        return grouped;
    }

    private static List<String> comparable(List<Decision> decisions) {
        return decisions.stream().map(d -> d.getAgentId() + " " + d.getOutcome() + " " + d.getTier() + " " + d.getReasons()).sorted().toList();
    }

    private static String describe(List<Decision> decisions) {
        return decisions.stream().map(d -> d.getOutcome() + " " + d.getReasons().stream().map(r -> r.getCode().name()).toList())
                .collect(Collectors.joining(", ", decisions.size() + " × [", "]"));
    }

    private static String text(ByteBuffer value) {
        String shown = new String(value.array(), StandardCharsets.ISO_8859_1);
        return shown.length() > 60 ? shown.substring(0, 60) + "…" : shown;
    }
}
