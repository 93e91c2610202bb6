package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.Topics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scaling out on Kafka's own terms: three mediators in one group with a standby of every store,
 * under a steady stream of intents; one leaves, one joins. Every intent is decided exactly once,
 * every live instance answers queries through both rebalances, the state an instance held is
 * found on the others (a retried intent is still a DUPLICATE), and how long each rebalance took to
 * return to RUNNING is printed for docs/OPERATIONS.md.
 */
@Tag("slow")
class ScalingOutIT {

    private static final String SCOPE = "scaling-out-it";
    private static final int PARTITIONS = 6;
    private static final List<String> AGENTS = IntStream.range(0, 12).mapToObj(i -> String.format("agent-%02d", i)).toList();
    private static final Duration INTENT_EVERY = Duration.ofMillis(25);
    private static final Duration SETTLED = Duration.ofSeconds(3);
    /** How long intents flow between the changes. */
    private static final Duration LOADED = Duration.ofSeconds(5);
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void shouldDecideEveryIntentOnceAndAnswerQueriesWhileInstancesLeaveAndJoin() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), policy());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config = MediatorConfig.layered(Map.of("num.standby.replicas", "1"), Map.of(), Map.of())
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.TOPIC_PARTITIONS, String.valueOf(PARTITIONS))
                    .with(ConfigKeys.POLICY_FILE, policy.toString())
                    .with(ConfigKeys.HTTP_PORT, "0");
            Instances instances = new Instances(config, dir);
            try (instances) {
                // Given three instances in one group, each store with a standby on another instance
                MediatorApp a = instances.start("a");
                instances.start("b");
                instances.start("c");
                instances.awaitAllRunning();
                Topics topics = a.topics();
                try (IntentStream intents = new IntentStream(broker, topics);
                        QueryProbe queries = new QueryProbe(instances);
                        RebalanceWatch watch = new RebalanceWatch(instances, broker.bootstrapServers())) {
                    // under a steady stream of intents, the standbys in place: all a holds is also on b or c
                    Thread.sleep(LOADED.toMillis());
                    instances.awaitStandbysOutside("a");
                    watch.settledAfter(System.nanoTime(), SETTLED, STARTUP);

                    // When one instance leaves under load
                    int sentBeforeLeave = intents.sent().size();
                    long left = System.nanoTime();
                    instances.stop("a");
                    Duration leaveRebalance = watch.settledAfter(left, SETTLED, STARTUP);
                    Thread.sleep(LOADED.toMillis());

                    // And another one joins, with an empty state directory
                    int sentBeforeJoin = intents.sent().size();
                    long joined = System.nanoTime();
                    instances.start("d");
                    Duration joinRebalance = watch.settledAfter(joined, SETTLED, STARTUP);
                    Thread.sleep(LOADED.toMillis());
                    intents.stop();

                    // Then intents decided before a left are still known: a retry is a DUPLICATE, decided once more
                    List<String> retried = intents.firstOfEachAgent();
                    intents.resend(retried);
                    Map<String, List<Decision>> decided = decisions(broker, topics, intents.sent().size() + retried.size());
                    assertThat(decided.keySet()).containsExactlyInAnyOrderElementsOf(intents.sent());
                    for (String intentId : intents.sent()) {
                        List<Decision> decisions = decided.get(intentId);
                        long duplicates = decisions.stream().filter(ScalingOutIT::isDuplicate).count();
                        assertThat(decisions.size() - duplicates).as("original decisions of %s", intentId).isEqualTo(1);
                        assertThat(duplicates).as("DUPLICATE answers to %s", intentId).isEqualTo(retried.contains(intentId) ? 1 : 0);
                    }

                    queries.close();
                    System.out.printf(
                            "scaling-out: partitions=%d standbys=1 intents=%d (%d before the leave, %d before the join) retried=%d leave-rebalance-to-RUNNING=%d ms "
                                    + "join-rebalance-to-RUNNING=%d ms queries-200=%s queries-503=%d queries-other=%d%n",
                            PARTITIONS, intents.sent().size(), sentBeforeLeave, sentBeforeJoin, retried.size(), leaveRebalance.toMillis(), joinRebalance.toMillis(),
                            queries.answered(), queries.retries(), queries.unexpected().size());
                    // And every live instance answered queries all along, and answers them alike now: 200, or 503 with
                    // Retry-After while partitions move (also while the others still relay to a, which no longer answers)
                    assertThat(queries.unexpected()).isEmpty();
                    assertThat(queries.answered()).as("200 answers per instance").containsKeys("b", "c", "d")
                            .allSatisfy((name, count) -> assertThat(count).isPositive());
                    for (String agent : AGENTS) {
                        JsonNode fromB = awaitOk(instances.port("b"), "/agents/" + agent + "/budgets");
                        assertThat(awaitOk(instances.port("c"), "/agents/" + agent + "/budgets")).isEqualTo(fromB);
                        assertThat(awaitOk(instances.port("d"), "/agents/" + agent + "/budgets")).isEqualTo(fromB);
                    }
                }
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    /** Twelve agents that may do anything, often, with a budget so each has state to query. */
    private static String policy() {
        StringBuilder yaml = new StringBuilder("""
                version: "scaling-out-it-1"
                defaults: { conflictTier: MANAGER, minConfidence: 0.5 }
                tiers: [MANAGER, BOARD]
                agents:
                """);
        for (String agent : AGENTS) {
            yaml.append("  - { id: ").append(agent).append(", department: ops, capabilities: { actions: [\"*\"], targets: [\"*\"] },")
                    .append(" rateLimit: { capacity: 1000, refillPerSecond: 1000 },")
                    .append(" budgets: [ { window: WEEK, limitMicros: 1000000000000 } ] }\n");
        }
        return yaml.toString();
    }

    private static boolean isDuplicate(Decision decision) {
        return decision.getReasons().stream().anyMatch(reason -> reason.getCode() == ReasonCode.DUPLICATE);
    }

    private static Map<String, List<Decision>> decisions(EmbeddedKafkaBroker broker, Topics topics, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                topics.decisions().stream().map(t -> t.name()).toList(), expected, Duration.ofSeconds(180));
        Map<String, List<Decision>> byIntent = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Decision decision = topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value());
            byIntent.computeIfAbsent(decision.getIntentId(), id -> new ArrayList<>()).add(decision);
        }
        assertThat(records).as("decisions read").hasSize(expected);
        return byIntent;
    }

    /** The budget windows of an agent, once the instance can read them. */
    private static JsonNode awaitOk(int port, String path) throws Exception {
        HttpResponse<String> response = HttpGet.retryingWhileUnavailable(port, path, Duration.ofSeconds(60));
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("windows");
    }

    private static boolean running(MediatorApp app) {
        return app.health().problems().stream().noneMatch(problem -> problem.startsWith("streams are "));
    }

    /** The mediator instances of the test, by name, each with its own state directory. */
    private static final class Instances implements AutoCloseable {

        private final MediatorConfig config;
        private final Path dir;
        private final Map<String, MediatorApp> live = new ConcurrentHashMap<>();

        Instances(MediatorConfig config, Path dir) {
            this.config = config;
            this.dir = dir;
        }

        MediatorApp start(String name) {
            MediatorApp app = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, stateDir(name).toString()), new HealthState());
            live.put(name, app);
            return app;
        }

        void stop(String name) {
            live.remove(name).close();
        }

        Map<String, MediatorApp> live() {
            return Map.copyOf(live);
        }

        int port(String name) {
            return live.get(name).httpPort();
        }

        void awaitAllRunning() throws InterruptedException {
            for (MediatorApp app : live.values()) {
                app.awaitRunning(STARTUP);
            }
        }

        /**
         * Waits until every task with state, wherever it is, also has a directory on an instance other
         * than {@code leaving}: the standbys are in place.
         */
        void awaitStandbysOutside(String leaving) throws InterruptedException, IOException {
            String[] others = live.keySet().stream().filter(name -> !name.equals(leaving)).toArray(String[]::new);
            long giveUpAt = System.nanoTime() + STARTUP.toNanos();
            while (true) {
                Set<String> all = taskDirectories(live.keySet().toArray(String[]::new));
                Set<String> elsewhere = taskDirectories(others);
                if (!all.isEmpty() && elsewhere.containsAll(all)) {
                    return;
                }
                assertThat(System.nanoTime() - giveUpAt).as("tasks only on %s: %s", leaving,
                        all.stream().filter(task -> !elsewhere.contains(task)).toList()).isNegative();
                Thread.sleep(200);
            }
        }

        /** Task directories (e.g. {@code 1_4}) under the instances' state directories. */
        Set<String> taskDirectories(String... names) throws IOException {
            Set<String> tasks = new HashSet<>();
            for (String name : names) {
                Path application = stateDir(name).resolve(SCOPE);
                if (Files.isDirectory(application)) {
                    try (Stream<Path> children = Files.list(application)) {
                        children.map(child -> child.getFileName().toString()).filter(child -> child.matches("\\d+_\\d+")).forEach(tasks::add);
                    }
                }
            }
            return tasks;
        }

        private Path stateDir(String name) {
            return dir.resolve(name);
        }

        @Override
        public void close() {
            live.values().forEach(MediatorApp::close);
            live.clear();
        }
    }

    /** Agents sending intents at a steady pace, on a thread of their own, each id remembered. */
    private static final class IntentStream implements AutoCloseable {

        private final Topics topics;
        private final KafkaProducer<byte[], byte[]> producer;
        private final List<String> sent = new CopyOnWriteArrayList<>();
        private final AtomicBoolean sending = new AtomicBoolean(true);
        private final Thread thread;

        IntentStream(EmbeddedKafkaBroker broker, Topics topics) {
            this.topics = topics;
            this.producer = KafkaTestClients.producer(broker.bootstrapServers());
            this.thread = new Thread(this::send, "intent-stream");
            thread.start();
        }

        /** One intent every {@link #INTENT_EVERY}, agents in turn, until closed. */
        private void send() {
            while (sending.get()) {
                int n = sent.size();
                String intentId = String.format("intent-%06d", n);
                producer.send(intent(intentId));
                sent.add(intentId);
                try {
                    Thread.sleep(INTENT_EVERY.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private ProducerRecord<byte[], byte[]> intent(String intentId) {
            String agent = AGENTS.get(Integer.parseInt(intentId.substring("intent-".length())) % AGENTS.size());
            return IntentRecords.intent(topics, intentId, agent, "task.run", "worker", 1, 0, Instant.now());
        }

        List<String> sent() {
            return List.copyOf(sent);
        }

        /** The first intent of each agent: together they lie on every partition the agents hash to. */
        List<String> firstOfEachAgent() {
            return List.copyOf(sent.subList(0, AGENTS.size()));
        }

        void resend(List<String> intentIds) {
            intentIds.forEach(intentId -> producer.send(intent(intentId)));
            producer.flush();
        }

        /** Stops sending; what was sent is flushed to the broker. */
        void stop() throws InterruptedException {
            sending.set(false);
            thread.join();
            producer.flush();
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            producer.close();
        }
    }

    /** An answer the query probe did not expect, with when it came (System.nanoTime). */
    private record Answer(long at, String instance, int status, String body) {}

    /**
     * Asks every live instance for every agent's budgets, over and over, and tallies the answers: 200,
     * 503 (partitions moving: retry, as documented) or anything else, kept to be examined.
     */
    private static final class QueryProbe implements AutoCloseable {

        private final Instances instances;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Map<String, AtomicLong> answered = new ConcurrentHashMap<>();
        private final AtomicLong retries = new AtomicLong();
        private final List<Answer> unexpected = new CopyOnWriteArrayList<>();
        private final Thread thread;

        QueryProbe(Instances instances) {
            this.instances = instances;
            this.thread = new Thread(this::probe, "query-probe");
            thread.start();
        }

        private void probe() {
            while (running.get()) {
                for (Map.Entry<String, MediatorApp> instance : instances.live().entrySet()) {
                    for (String agent : AGENTS) {
                        ask(instance.getKey(), instance.getValue(), agent);
                    }
                }
            }
        }

        private void ask(String name, MediatorApp app, String agent) {
            try {
                HttpResponse<String> response = HttpGet.get(app.httpPort(), "/agents/" + agent + "/budgets");
                if (response.statusCode() == 200) {
                    answered.computeIfAbsent(name, key -> new AtomicLong()).incrementAndGet();
                } else if (response.statusCode() == 503) {
                    retries.incrementAndGet();
                } else {
                    unexpected.add(new Answer(System.nanoTime(), name, response.statusCode(), response.body()));
                }
            } catch (IOException e) {
                // An instance that was just stopped no longer listens; any other is failing its callers.
                if (instances.live().containsKey(name)) {
                    unexpected.add(new Answer(System.nanoTime(), name, 0, e.toString()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            }
        }

        Map<String, Long> answered() {
            return answered.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
        }

        long retries() {
            return retries.get();
        }

        /** Answers neither 200 nor 503, and instances that did not answer (status 0). */
        List<Answer> unexpected() {
            return List.copyOf(unexpected);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    /**
     * Tells when a change of membership is over: the group is stable with one member per live
     * instance, and every live instance's streams are RUNNING, and both stay so for a while (Kafka
     * Streams may follow one rebalance with another to move tasks to caught-up standbys).
     */
    private static final class RebalanceWatch implements AutoCloseable {

        private final Instances instances;
        private final Admin admin;

        RebalanceWatch(Instances instances, String bootstrapServers) {
            this.instances = instances;
            this.admin = Admin.create(KafkaTestClients.adminConfig(bootstrapServers));
        }

        /** Waits until the group has settled; returns how long after {@code change} it was last unsettled. */
        Duration settledAfter(long change, Duration settled, Duration timeout) throws Exception {
            long giveUpAt = System.nanoTime() + timeout.toNanos();
            long settledSince = -1;
            while (true) {
                long now = System.nanoTime();
                if (settled()) {
                    if (settledSince < 0) {
                        settledSince = now;
                    } else if (now - settledSince >= settled.toNanos()) {
                        return Duration.ofNanos(settledSince - change);
                    }
                } else {
                    settledSince = -1;
                }
                assertThat(now - giveUpAt).as("group not settled with %s", instances.live().keySet()).isNegative();
                Thread.sleep(20);
            }
        }

        private boolean settled() throws Exception {
            Map<String, MediatorApp> live = instances.live();
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(SCOPE)).all().get().get(SCOPE);
            return group.groupState() == GroupState.STABLE
                    && group.members().size() == live.size()
                    && live.values().stream().allMatch(ScalingOutIT::running);
        }

        @Override
        public void close() {
            admin.close();
        }
    }
}
