package io.agentmediator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.audit.AuditKeys;
import io.agentmediator.backtest.Backtest;
import io.agentmediator.backtest.BacktestEvent;
import io.agentmediator.contract.Contracts;
import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.limits.BoundedIntent;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.limits.RecordLimits;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.HttpSchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.testing.ApicurioRegistry;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MediatorProcess;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.testing.VariedIntents;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz (issue 15): mutated intents ({@link RecordMutator}: flipped bits, truncations, unknown schema
 * ids, oversized strings and collections, NaN and extreme numbers, control characters and huge ids,
 * odd keys, signature headers that cannot verify, odd record times; approvals and outcomes too)
 * mixed with valid intents, sent to the shipped jar running as its own process on a real broker and
 * a real schema registry, so that a dead stream thread or a crash shows. Every valid
 * intent must get exactly one decision, the one {@code backtest} makes of the valid intents alone;
 * every mutant must be accounted for, dead-lettered or decided as its kind requires (a record
 * accounted as neither fails the test and is printed); nothing valid may be dead-lettered;
 * {@code /health/ready} must answer 200 every time it is polled during the run, the process must
 * live and its log must show no stream thread death.
 *
 * <p>Why the mutants cannot change the valid intents' decisions, so that the backtest of the valid
 * intents alone is their oracle: valid intents come from agents {@code fuzz-valid-*}, with ids
 * {@code v-*}, no claims, no dependencies and no pool, so their decisions depend only on their own
 * agent's state (dedupe, rate limit, budgets), on the policy and on their own timestamps. Mutants
 * are made from intents of other agents ({@code mut-reg-*}, in the policy with budgets of their own
 * and resources {@code mres-*}, so mutants also reach the budgets, the ledger and the rules;
 * {@code mut-unk-*}, unknown), with ids {@code m-*}. A mutant whose bytes still decode to an intent
 * naming a valid agent or a valid id, in its key or its value (a bit flip could write one), is drawn
 * again, so no mutant touches a valid agent's state. Every record carries a timestamp of one clock
 * increasing in send order, so stream time at each valid intent is its own timestamp, as in the
 * backtest; the records of one agent keep their order on its partition. The exception, mutants
 * stamped up to 50 minutes ahead, move their partition's stream time ahead of the valid intents
 * after them: the gate's only stream-time state, the intent ids it remembers, keeps days, so this
 * must change nothing either, and the test shows it does not. Mutated approvals and outcomes are
 * about ids {@code ghost-*} that no intent has (one that reads as another id is drawn again), so
 * they change no case.
 *
 * <p>Size: {@code -Dfuzz.records} mutants (1,000 by default, 10,000 under {@code -Pchaos}) and one
 * valid intent for every three of them; seed {@code -Dfuzz.seed}. The result goes to
 * {@code target/fuzz.txt} (docs/RELIABILITY.md).
 */
@Tag("slow")
class FuzzIT {

    private static final int MUTANTS = Integer.getInteger("fuzz.records", 1_000);
    private static final int VALID = Math.max(MUTANTS / 3, 100);
    private static final long SEED = Long.getLong("fuzz.seed", 20_261_202L);
    private static final int VALID_AGENTS = 6;
    private static final int MUTANT_AGENTS = 4;
    /** A mutant agent in the policy with a public key: its intents must be signed. */
    private static final String SIGNING_AGENT = "mut-reg-0";
    /** About half of what an agent's valid intents ask for in a run, so budgets run out midway whatever the size. */
    private static final long VALID_DAY_LIMIT = VALID * 25_000L;
    /** Mutated approvals, and as many mutated outcomes, about intents that do not exist: each must be dead-lettered or filed as unmatched. */
    private static final int CASE_EVENTS = MUTANTS / 10;

    private static final Pattern ERROR_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR ");

    @TempDir Path dir;

    /** A record sent, what it was made to be, and what the test could read of it. */
    private record Sent(int index, String topic, RecordMutator.Mutant mutant, AgentIntent valid, Prediction prediction) {
        String describe() {
            return valid != null ? "valid " + valid.getIntentId()
                    : "mutant #" + index + " on " + topic + " " + mutant.kind() + " (" + mutant.what() + "), read as " + prediction;
        }
    }

    /**
     * What the mediator will make of a mutant: unreadable (why; for an approval or outcome, also over its
     * limits), or a record about the intent {@code decidedId} (as its decision or case file will name
     * it), of agent {@code agentId}, which the policy knows and the key names when {@code registeredAgent}.
     */
    private record Prediction(String unreadable, String decidedId, String agentId, boolean registeredAgent) {
        static Prediction unreadable(String why) {
            return new Prediction(why, null, null, false);
        }

        boolean agentNamed(Set<String> agents) {
            return agentId != null && agents.contains(agentId);
        }

        @Override
        public String toString() {
            return unreadable != null ? "unreadable: " + unreadable
                    : "intent " + abbreviate(decidedId) + " of " + abbreviate(agentId) + (registeredAgent ? " (registered)" : "");
        }
    }

    @Test
    void shouldDecideEveryValidIntentAsTheBacktestAndDeadLetterOrRejectEveryMutant() throws Exception {
        Path policyFile = dir.resolve("policy.yaml");
        Files.writeString(policyFile, policyYaml());
        Contracts.trustGeneratedClasses();
        Instant t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(3).start();
                ApicurioRegistry registry = ApicurioRegistry.start()) {
            Topics topics = new Topics("agent.", HttpSchemaRegistryClient.create(registry.ccompatUrl(), Map.of()));
            List<Sent> records = records(topics);

            // The records' own times, so the backtest of the same times is the oracle.
            try (MediatorProcess mediator = MediatorProcess.start(dir, "fuzz", MediatorProcess.keepingProducerTimes(
                            broker.bootstrapServers(), registry.ccompatUrl(), policyFile, "fuzz-it", dir.resolve("state")), "-Xmx512m");
                    ReadinessPoll readiness = ReadinessPoll.start(mediator)) {
                // When the valid intents and the mutants are sent, mixed, in one order
                long started = System.nanoTime();
                List<RecordMetadata> placed = send(broker, topics, records, t0);
                long intents = records.stream().filter(r -> r.topic().equals(topics.intents().name())).count();
                long caseEventsDeadLettered = records.stream()
                        .filter(r -> !r.topic().equals(topics.intents().name()) && r.prediction().unreadable() != null).count();
                int[] firstOutputs = {0, 0};
                List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClients.readCommittedUntil(broker.bootstrapServers(),
                        List.of(topics.execute().name(), topics.escalate().name(), topics.reject().name(), topics.intentsDlq().name()), arrived -> {
                            for (; firstOutputs[0] < arrived.size(); firstOutputs[0]++) {
                                ConsumerRecord<byte[], byte[]> record = arrived.get(firstOutputs[0]);
                                if (record.topic().equals(topics.intentsDlq().name())
                                        || !isExpiry(topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value()))) {
                                    firstOutputs[1]++;
                                }
                            }
                            return firstOutputs[1] >= intents + caseEventsDeadLettered;
                        }, Duration.ofSeconds(120).plusMillis(60L * records.size()));
                long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
                List<UnmatchedFiling> unmatched = unmatchedFilings(topics, records, placed);
                Set<String> auditKeys = new HashSet<>();
                int[] read = {0};
                KafkaTestClients.readCommittedUntil(broker.bootstrapServers(), List.of(topics.audit().name()), audit -> {
                    for (; read[0] < audit.size(); read[0]++) {
                        auditKeys.add(new String(audit.get(read[0]).key(), StandardCharsets.UTF_8));
                    }
                    return unmatched.stream().allMatch(filing -> filing.metBy(auditKeys));
                }, Duration.ofSeconds(60));
                readiness.close();

                // Then every record is accounted for
                Accounting accounting = new Accounting(topics, records, placed, auditKeys);
                out.forEach(accounting::add);
                List<String> failures = accounting.settle(replay(policyFile, records, t0));

                String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
                String report = "seed=" + SEED + " mutants=" + MUTANTS + " valid=" + VALID + " records=" + records.size()
                        + " outputs=" + out.size() + " sent-to-accounted=" + elapsedMillis + " ms"
                        + " readiness-polls=" + readiness.polls() + " not-ready=" + readiness.failures().size()
                        + "\nloadavg before: " + loadBefore + "\nloadavg after: " + loadAfter
                        + "\nescalations of mutants expired during the run (a second decision): " + accounting.expiries()
                        + "\n" + accounting.table();
                Files.writeString(Path.of("target", "fuzz.txt"), report + "\n");
                System.out.println(report);

                assertThat(failures).as("records not decided or dead-lettered as required (seed " + SEED + ")").isEmpty();
                assertThat(readiness.failures()).as("/health/ready answers other than 200 during the run").isEmpty();
                assertThat(mediator.process().isAlive()).as("mediator process alive; see " + mediator.log()).isTrue();
                List<String> log = Files.readAllLines(mediator.log().toPath());
                assertThat(log).as("stream thread deaths in " + mediator.log()).noneMatch(line -> line.contains("stream thread died"));
                assertThat(log).as("ERROR lines in " + mediator.log()).noneMatch(line -> ERROR_LINE.matcher(line).find());
            }
        }
    }

    /**
     * The records in send order: mutants of intents of the mutant agents, each drawn until the
     * mediator cannot take it for a valid agent's, and valid intents in between.
     */
    private static List<Sent> records(Topics topics) {
        Random random = new Random(SEED);
        RecordMutator mutator = new RecordMutator(random.nextLong(), InputLimits.DEFAULTS,
                intent -> topics.intentSerde().serializer().serialize(topics.intents().name(), intent), SIGNING_AGENT);
        Set<String> validAgents = IntStream.range(0, VALID_AGENTS).mapToObj(FuzzIT::validAgent).collect(Collectors.toSet());
        List<Sent> records = new ArrayList<>();
        int[] left = {VALID, MUTANTS, CASE_EVENTS, CASE_EVENTS};
        for (int index = 0; index < VALID + MUTANTS + 2 * CASE_EVENTS; index++) {
            int draw = random.nextInt(left[0] + left[1] + left[2] + left[3]);
            int which = draw < left[0] ? 0 : draw < left[0] + left[1] ? 1 : draw < left[0] + left[1] + left[2] ? 2 : 3;
            left[which]--;
            if (which == 0) {
                records.add(new Sent(index, topics.intents().name(), null, validIntent(random, VALID - left[0] - 1), null));
            } else if (which == 1) {
                AgentIntent base = mutantBase(random, MUTANTS - left[1] - 1);
                RecordMutator.Mutant mutant;
                Prediction prediction;
                do {
                    mutant = mutator.mutate(base);
                    prediction = predict(topics, mutant);
                } while (namesValid(mutant, prediction, validAgents));
                records.add(new Sent(index, topics.intents().name(), mutant, null, prediction));
            } else {
                String topic = which == 2 ? topics.approvals().name() : topics.outcomes().name();
                RecordMutator.Mutant mutant;
                Prediction prediction;
                do {
                    mutant = which == 2
                            ? mutator.mutate(new Approval("ghost-a-" + index, "approver-" + random.nextInt(3), ApprovalDecision.APPROVE, null, null, null),
                                    approval -> topics.approvalSerde().serializer().serialize(topic, approval))
                            : mutator.mutate(new Outcome("ghost-o-" + index, OutcomeStatus.COMPLETED, 1_000L, "executor-1", null, null, null),
                                    outcome -> topics.outcomeSerde().serializer().serialize(topic, outcome));
                    prediction = predictCaseEvent(topics, topic, mutant);
                } while (prediction.decidedId() != null && !prediction.decidedId().startsWith("ghost-"));
                records.add(new Sent(index, topic, mutant, null, prediction));
            }
        }
        return records;
    }

    private static boolean namesValid(RecordMutator.Mutant mutant, Prediction prediction, Set<String> validAgents) {
        String key = mutant.key() == null ? null : new String(mutant.key(), StandardCharsets.UTF_8);
        return validAgents.contains(key) || (prediction.decidedId() != null && prediction.decidedId().startsWith("v-"))
                || prediction.agentNamed(validAgents);
    }

    /** What the mediator's intake will make of the mutant: the same deserializer, the same limits, the same bounding. */
    private static Prediction predict(Topics topics, RecordMutator.Mutant mutant) {
        if (mutant.value() == null) {
            return Prediction.unreadable("no value");
        }
        AgentIntent intent;
        try {
            intent = topics.intentSerde().deserializer().deserialize(topics.intents().name(), mutant.value());
        } catch (RuntimeException unreadable) {
            return Prediction.unreadable(unreadable.getClass().getSimpleName());
        }
        String key = mutant.key() == null ? null : new String(mutant.key(), StandardCharsets.UTF_8);
        RecordLimits limits = new RecordLimits(InputLimits.DEFAULTS);
        AgentIntent decided = limits.ofIntent(key, intent).isEmpty() ? intent : BoundedIntent.of(intent, InputLimits.DEFAULTS);
        boolean registered = intent.getAgentId().equals(key) && intent.getAgentId().startsWith("mut-reg-");
        // A blank agentId is decided under the record key: name the agent as the decision will.
        return new Prediction(null, decided.getIntentId(), DecisionFactory.agentId(BoundedIntent.bounded(key, InputLimits.DEFAULTS.idMaxChars()), decided),
                registered);
    }

    /**
     * What the mediator will make of a mutated approval or outcome: dead-letter it if unreadable or over
     * its limits, else file it under a case of its own, as its intent was never decided.
     */
    private static Prediction predictCaseEvent(Topics topics, String topic, RecordMutator.Mutant mutant) {
        if (mutant.value() == null) {
            return Prediction.unreadable("no value");
        }
        RecordLimits limits = new RecordLimits(InputLimits.DEFAULTS);
        List<String> overLimits;
        String intentId;
        try {
            if (topic.equals(topics.approvals().name())) {
                Approval approval = topics.approvalSerde().deserializer().deserialize(topic, mutant.value());
                overLimits = limits.ofApproval(approval);
                intentId = approval.getIntentId();
            } else {
                Outcome outcome = topics.outcomeSerde().deserializer().deserialize(topic, mutant.value());
                overLimits = limits.ofOutcome(outcome);
                intentId = outcome.getIntentId();
            }
        } catch (RuntimeException unreadable) {
            return Prediction.unreadable(unreadable.getClass().getSimpleName());
        }
        return overLimits.isEmpty() ? new Prediction(null, intentId, null, false) : Prediction.unreadable("over limits: " + overLimits);
    }

    /** Where each readable approval and outcome within its limits must be filed. */
    private static List<UnmatchedFiling> unmatchedFilings(Topics topics, List<Sent> records, List<RecordMetadata> placed) {
        List<UnmatchedFiling> filings = new ArrayList<>();
        for (Sent sent : records) {
            if (!sent.topic().equals(topics.intents().name()) && sent.prediction().unreadable() == null) {
                filings.add(UnmatchedFiling.of(topics, sent, placed.get(sent.index())));
            }
        }
        return filings;
    }

    /**
     * The case file of an answer that matches no case: keyed by its intent id and where its producer wrote it, also when it
     * was keyed by anything but that id (a bit flip in the id, not in the key) and went round once more through the placed
     * topic, keyed by the id.
     */
    private record UnmatchedFiling(String key) {

        static UnmatchedFiling of(Topics topics, Sent sent, RecordMetadata landed) {
            String kind = sent.topic().equals(topics.approvals().name()) ? "approval" : "outcome";
            return new UnmatchedFiling(AuditKeys.unmatchedAnswer(sent.prediction().decidedId(), kind, place(landed)));
        }

        boolean metBy(Set<String> auditKeys) {
            return auditKeys.contains(key);
        }
    }

    /** Sends every record in order, stamped {@code t0} plus 10 ms a record (unless the mutation chose a time), and returns where each landed. */
    private static List<RecordMetadata> send(EmbeddedKafkaBroker broker, Topics topics, List<Sent> records, Instant t0) throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (Sent sent : records) {
                long at = sent.mutant() != null && sent.mutant().timestamp() != null
                        ? sent.mutant().timestamp() : t0.plusMillis(10L * sent.index()).toEpochMilli();
                byte[] key = sent.valid() != null ? utf8(sent.valid().getAgentId()) : sent.mutant().key();
                byte[] value = sent.valid() != null
                        ? topics.intentSerde().serializer().serialize(topics.intents().name(), sent.valid()) : sent.mutant().value();
                futures.add(producer.send(new ProducerRecord<>(sent.topic(), null, at, key, value,
                        sent.valid() != null ? null : sent.mutant().headers())));
            }
        }
        List<RecordMetadata> placed = new ArrayList<>();
        for (Future<RecordMetadata> future : futures) {
            placed.add(future.get());
        }
        return placed;
    }

    /** The valid intents alone, at the same times, through the backtest: the decisions the mediator must make of them. */
    private static Map<String, Decision> replay(Path policyFile, List<Sent> records, Instant t0) {
        List<BacktestEvent> events = new ArrayList<>();
        for (Sent sent : records) {
            if (sent.valid() != null) {
                events.add(new BacktestEvent.IntentEvent(events.size() + 1, t0.plusMillis(10L * sent.index()), sent.valid()));
            }
        }
        Map<String, Decision> decisions = new HashMap<>();
        Backtest.run(PolicySource.load(policyFile.toString()).policy(), events).forEach(d -> decisions.putIfAbsent(d.getIntentId(), d));
        return decisions;
    }

    /**
     * Matches what came out (decisions, dead letters) to what was sent. A dead letter of the intents
     * topic is matched by its source partition and offset, one of another topic by its key and value;
     * a decision by the id the intent was predicted to be decided under.
     */
    private static final class Accounting {

        private final Topics topics;
        private final List<Sent> records;
        private final List<RecordMetadata> placed;
        private final Set<String> auditKeys;
        private final Map<String, Integer> byPlace = new HashMap<>();
        private final Map<String, Decision> validDecisions = new HashMap<>();
        private final Map<String, AtomicInteger> validCounts = new HashMap<>();
        private final Map<String, Deque<Decision>> otherDecisions = new HashMap<>();
        private final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        /** Rejections of escalations left unanswered past their deadline: a second decision, which a mutant stamped long ago gets at once. */
        private final List<Decision> expiries = new ArrayList<>();
        private final Set<String> escalated = new HashSet<>();
        private final Map<String, Map<String, Integer>> table = new TreeMap<>();

        Accounting(Topics topics, List<Sent> records, List<RecordMetadata> placed, Set<String> auditKeys) {
            this.topics = topics;
            this.records = records;
            this.placed = placed;
            this.auditKeys = auditKeys;
            for (int i = 0; i < placed.size(); i++) {
                byPlace.put(place(placed.get(i)), i);
            }
        }

        void add(ConsumerRecord<byte[], byte[]> record) {
            if (record.topic().equals(topics.intentsDlq().name())) {
                deadLetters.add(record);
                return;
            }
            Decision decision = topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (isExpiry(decision)) {
                expiries.add(decision);
            } else if (decision.getIntentId().startsWith("v-") && decision.getAgentId().startsWith("fuzz-valid-")) {
                validDecisions.putIfAbsent(decision.getIntentId(), decision);
                validCounts.computeIfAbsent(decision.getIntentId(), id -> new AtomicInteger()).incrementAndGet();
            } else {
                otherDecisions.computeIfAbsent(decision.getIntentId(), id -> new ArrayDeque<>()).add(decision);
            }
        }

        /** Every failure, one line each: what was sent, what it had to become, what it became. */
        List<String> settle(Map<String, Decision> oracle) {
            List<String> failures = new ArrayList<>();
            boolean[] deadLettered = new boolean[records.size()];
            for (ConsumerRecord<byte[], byte[]> dead : deadLetters) {
                Integer index = sourceOf(dead, deadLettered);
                if (index == null) {
                    failures.add("dead letter of no record sent: " + headers(dead));
                } else if (records.get(index).valid() != null) {
                    failures.add(records.get(index).describe() + " dead-lettered: " + headers(dead));
                } else {
                    deadLettered[index] = true;
                    count(records.get(index), "dead-lettered " + header(dead, DeadLetterHeaders.ERROR_CLASS).replaceAll(".*\\.", ""));
                }
            }
            // Strict expectations first: a flip can give a mutant that may be decided anyhow the id of one that
            // must be rejected, and taking decisions in send order could hand it the rejection the other needs.
            List<Sent> strictFirst = records.stream().sorted(Comparator.comparing(sent -> sent.mutant() == null
                    || sent.mutant().kind().expected() == RecordMutator.Expected.DEAD_LETTER_OR_DECIDED)).toList();
            for (Sent sent : strictFirst) {
                if (!sent.topic().equals(topics.intents().name())) {
                    failures.addAll(checkCaseEvent(sent, deadLettered[sent.index()]));
                } else if (sent.valid() != null) {
                    failures.addAll(checkValid(sent, oracle));
                } else if (!deadLettered[sent.index()]) {
                    failures.addAll(checkDecided(sent));
                } else if (sent.mutant().kind().expected() == RecordMutator.Expected.MALFORMED) {
                    failures.add(sent.describe() + ": dead-lettered, not rejected MALFORMED");
                }
            }
            otherDecisions.forEach((id, left) -> left.forEach(d ->
                    failures.add("decision for no record sent: " + abbreviate(id) + " " + d.getOutcome() + " " + d.getReasons())));
            for (Decision expiry : expiries) {
                if (!escalated.contains(expiry.getIntentId()) || expiry.getIntentId().startsWith("v-")) {
                    failures.add("escalation expired of an intent not escalated, or valid: " + abbreviate(expiry.getIntentId()) + " " + expiry.getReasons());
                }
            }
            return failures;
        }

        private List<String> checkCaseEvent(Sent sent, boolean deadLettered) {
            if (deadLettered) {
                return sent.prediction().unreadable() == null ? List.of(sent.describe() + ": dead-lettered") : List.of();
            }
            if (sent.prediction().unreadable() != null) {
                count(sent, "unaccounted");
                return List.of(sent.describe() + ": not dead-lettered");
            }
            if (!UnmatchedFiling.of(topics, sent, placed.get(sent.index())).metBy(auditKeys)) {
                count(sent, "unaccounted");
                return List.of(sent.describe() + ": neither dead-lettered nor filed as unmatched");
            }
            count(sent, "filed as unmatched");
            return List.of();
        }

        private List<String> checkValid(Sent sent, Map<String, Decision> oracle) {
            String id = sent.valid().getIntentId();
            Decision actual = validDecisions.get(id);
            Decision expected = oracle.get(id);
            count(sent, actual == null ? "undecided" : actual.getOutcome().toString());
            if (actual == null) {
                return List.of(sent.describe() + ": no decision");
            }
            List<String> failures = new ArrayList<>();
            if (validCounts.get(id).get() != 1) {
                failures.add(sent.describe() + ": " + validCounts.get(id) + " decisions");
            }
            if (actual.getOutcome() != expected.getOutcome() || !actual.getReasons().equals(expected.getReasons())) {
                failures.add(sent.describe() + ": decided " + actual.getOutcome() + " " + actual.getReasons()
                        + ", the backtest " + expected.getOutcome() + " " + expected.getReasons());
            }
            return failures;
        }

        private List<String> checkDecided(Sent sent) {
            RecordMutator.Expected expected = sent.mutant().kind().expected();
            Deque<Decision> decisions = sent.prediction().decidedId() == null ? null : otherDecisions.get(sent.prediction().decidedId());
            if (decisions == null || decisions.isEmpty()) {
                count(sent, "unaccounted");
                return List.of(sent.describe() + ": neither dead-lettered nor decided");
            }
            Decision decision = take(decisions, sent);
            if (decision.getOutcome() == DecisionOutcome.ESCALATE) {
                escalated.add(decision.getIntentId());
            }
            List<ReasonCode> codes = decision.getReasons().stream().map(r -> r.getCode()).toList();
            count(sent, decision.getOutcome() + (codes.isEmpty() ? "" : " " + codes.get(0)));
            if (expected == RecordMutator.Expected.DEAD_LETTER) {
                return List.of(sent.describe() + ": decided " + decision.getOutcome() + " " + codes + ", not dead-lettered");
            }
            if (expected == RecordMutator.Expected.MALFORMED
                    && (decision.getOutcome() != DecisionOutcome.REJECT || !codes.contains(ReasonCode.MALFORMED))) {
                return List.of(sent.describe() + ": decided " + decision.getOutcome() + " " + codes + ", not rejected MALFORMED");
            }
            if (expected == RecordMutator.Expected.REJECTED && decision.getOutcome() != DecisionOutcome.REJECT) {
                return List.of(sent.describe() + ": decided " + decision.getOutcome() + " " + codes + ", not rejected");
            }
            if (!sent.prediction().registeredAgent() && decision.getOutcome() != DecisionOutcome.REJECT) {
                return List.of(sent.describe() + ": an intent of an agent not in the policy decided " + decision.getOutcome());
            }
            return List.of();
        }

        /**
         * The decision of {@code sent} among those under its id: a bit flip can give one mutant the id of
         * another, so prefer the one of the predicted agent that meets the expectation.
         */
        private static Decision take(Deque<Decision> decisions, Sent sent) {
            RecordMutator.Expected expected = sent.mutant().kind().expected();
            Decision chosen = decisions.stream().filter(d -> d.getAgentId().equals(sent.prediction().agentId()))
                    .filter(d -> switch (expected) {
                        case MALFORMED -> d.getReasons().stream().anyMatch(r -> r.getCode() == ReasonCode.MALFORMED);
                        case REJECTED -> d.getOutcome() == DecisionOutcome.REJECT;
                        default -> true;
                    })
                    .findFirst()
                    .orElseGet(() -> decisions.stream().filter(d -> d.getAgentId().equals(sent.prediction().agentId())).findFirst()
                            .orElse(decisions.peek()));
            decisions.remove(chosen);
            return chosen;
        }

        private Integer sourceOf(ConsumerRecord<byte[], byte[]> dead, boolean[] taken) {
            Integer atSource = byPlace.get(header(dead, DeadLetterHeaders.SOURCE_TOPIC) + "-" + header(dead, DeadLetterHeaders.SOURCE_PARTITION)
                    + "@" + header(dead, DeadLetterHeaders.SOURCE_OFFSET));
            if (atSource != null) {
                return atSource;
            }
            for (Sent sent : records) {
                if (sent.mutant() != null && !taken[sent.index()] && Arrays.equals(sent.mutant().key(), dead.key())
                        && Arrays.equals(sent.mutant().value(), dead.value())) {
                    return sent.index();
                }
            }
            return null;
        }

        private void count(Sent sent, String result) {
            String kind = sent.valid() != null ? "VALID"
                    : (sent.topic().equals(topics.intents().name()) ? "" : sent.topic() + " ") + sent.mutant().kind();
            table.computeIfAbsent(kind, k -> new TreeMap<>()).merge(result, 1, Integer::sum);
        }

        int expiries() {
            return expiries.size();
        }

        /** Per kind of record sent: how many ended how. */
        String table() {
            return table.entrySet().stream().map(e -> String.format("%-22s %s", e.getKey(), e.getValue())).collect(Collectors.joining("\n"));
        }

        private static String headers(ConsumerRecord<byte[], byte[]> dead) {
            return List.of(DeadLetterHeaders.SOURCE_TOPIC, DeadLetterHeaders.SOURCE_PARTITION, DeadLetterHeaders.SOURCE_OFFSET,
                            DeadLetterHeaders.PROCESSOR, DeadLetterHeaders.OUTPUT_TOPIC, DeadLetterHeaders.ERROR_CLASS, DeadLetterHeaders.ERROR_MESSAGE)
                    .stream().map(h -> h + "=" + abbreviate(header(dead, h))).collect(Collectors.joining(" "));
        }

        private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
            return record.headers().lastHeader(name) == null ? "" : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
        }
    }

    private static boolean isExpiry(Decision decision) {
        return decision.getReasons().stream().anyMatch(r -> r.getCode() == ReasonCode.ESCALATION_EXPIRED);
    }

    private static String place(RecordMetadata metadata) {
        return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
    }

    /** Asks {@code /health/ready} every 250 ms from start to close, and keeps every answer but 200. */
    private static final class ReadinessPoll implements AutoCloseable {

        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final AtomicInteger polls = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        private ReadinessPoll(MediatorProcess mediator) {
            thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        int status = mediator.status("/health/ready");
                        polls.incrementAndGet();
                        if (status != 200) {
                            failures.add(Instant.now() + " " + status);
                        }
                        Thread.sleep(250);
                    }
                } catch (Exception e) {
                    failures.add(Instant.now() + " " + e);
                }
            }, "readiness-poll");
            thread.setDaemon(true);
        }

        static ReadinessPoll start(MediatorProcess mediator) {
            ReadinessPoll poll = new ReadinessPoll(mediator);
            poll.thread.start();
            return poll;
        }

        List<String> failures() {
            return failures;
        }

        int polls() {
            return polls.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }

    /** A valid intent; some are rejected or escalated on the ordinary grounds, so the oracle has every outcome to check. */
    private static AgentIntent validIntent(Random random, int n) {
        return VariedIntents.draw(random, 20, "v-" + n, FuzzIT::validAgent, VALID_AGENTS, 50_000L, 450_000);
    }

    /** The intent a mutant is made from: an agent that may or may not be in the policy, claims, attributes the rule reads. */
    private static AgentIntent mutantBase(Random random, int n) {
        String agent = (random.nextBoolean() ? "mut-reg-" : "mut-unk-") + random.nextInt(MUTANT_AGENTS);
        List<ResourceClaim> claims = random.nextInt(3) == 0
                ? List.of(new ResourceClaim("mres-" + random.nextInt(4), 1L + random.nextInt(3), null, null)) : List.of();
        String[] risks = {"0.95", "0.1", "abc", "NaN", "1e309", ""};
        return AgentIntent.newBuilder()
                .setIntentId("m-" + n)
                .setAgentId(agent)
                .setAction(random.nextBoolean() ? "invoice.create" : "deploy.run")
                .setTarget("erp")
                .setCostMicros(random.nextInt(1_000_000))
                .setCommitmentMicros(random.nextInt(1_000_000))
                .setConfidence(0.5 + random.nextDouble() / 2)
                .setReasoning(random.nextBoolean() ? null : "because " + n)
                .setAlternatives(random.nextBoolean() ? List.of() : List.of("wait", "ask"))
                .setClaims(claims)
                .setAttributes(random.nextBoolean() ? Map.of() : Map.of("risk", risks[random.nextInt(risks.length)]))
                .build();
    }

    private static String validAgent(int a) {
        return "fuzz-valid-" + a;
    }

    private static String policyYaml() {
        StringBuilder yaml = new StringBuilder("""
                version: "fuzz-1"
                defaults: { minConfidence: 0.6, dependencyTimeout: PT15S }
                tiers: [MANAGER, BOARD]
                resources:
                  - { pattern: "mres-*", capacity: 3 }
                rules:
                """ + VariedIntents.RISKY_RULE + "agents:\n");
        for (int a = 0; a < VALID_AGENTS; a++) {
            yaml.append(VariedIntents.agentYaml(validAgent(a), 10, 4, "[ { window: DAY, limitMicros: " + VALID_DAY_LIMIT + " } ]"));
        }
        for (int a = 0; a < MUTANT_AGENTS; a++) {
            yaml.append("  - id: mut-reg-").append(a).append('\n')
                    // One signs its intents: mutants of it meet the signature check, with headers mutated or not.
                    .append(("mut-reg-" + a).equals(SIGNING_AGENT) ? "    publicKey: \"" + TestKeys.publicKey(SIGNING_AGENT) + "\"\n" : "")
                    .append("    capabilities: { actions: [\"*\"], targets: [\"*\"] }\n")
                    .append("    authority: { maxCommitmentMicros: 500000 }\n")
                    .append("    rateLimit: { capacity: 1000, refillPerSecond: 100 }\n")
                    .append("    budgets: [ { window: DAY, limitMicros: ").append(InputLimits.MAX_AMOUNT_MICROS).append(" } ]\n");
        }
        return yaml.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        String shown = text.length() > 80 ? text.substring(0, 80) + "…(" + text.length() + " chars)" : text;
        return shown.chars().mapToObj(c -> c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : String.valueOf((char) c))
                .collect(Collectors.joining());
    }
}
