package io.agentmediator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.json.JsonText;
import io.agentmediator.placement.KeyPartitioning;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.FreePorts;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.Topics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client nobody here wrote: the Python agent and executor of docs/examples/python (Debian's
 * confluent-kafka with its default partitioner, python3-avro, python3-cryptography) against the
 * shipped jar's {@code run --embedded}, started as its own process. Every intent is decided once —
 * signed ones, ones with claims, agents with a pool, agents whose intents the CRC32 partitioner puts
 * on another partition than the mediator's murmur2 — the executor verifies every decision's signature
 * as docs/SIGNING.md shows (and refuses a forged one), and its outcomes settle the budgets.
 */
@Tag("slow")
class PythonClientsIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path EXAMPLES = Path.of("..", "docs", "examples", "python");
    private static final Path AVRO = Path.of("..", "schemas", "src", "main", "avro");
    private static final Path JAR = Path.of("target", "agent-mediator.jar");
    private static final int PARTITIONS = 3;
    private static final long COST = 1_000_000;
    private static final long ACTUAL = 700_000;
    /** Long enough for agent.py to start and send it, so that it arrives before it expires. */
    private static final Duration EXPIRING_AFTER = Duration.ofSeconds(15);

    @TempDir Path dir;

    @Test
    void shouldDecideEveryPythonIntentOnceAndSettleWhatThePythonExecutorVerifiedAndReported() throws Exception {
        // Given agents the librdkafka partitioner places elsewhere than the mediator (py-analyst, py-planner) and in place (py-booker)
        assertThat(crc32Partition("py-analyst")).isNotEqualTo(murmur2Partition("py-analyst"));
        assertThat(crc32Partition("py-planner")).isNotEqualTo(murmur2Partition("py-planner"));
        assertThat(crc32Partition("py-booker")).isEqualTo(murmur2Partition("py-booker"));
        KeyPair mediatorKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair analystKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path mediatorPem = pem("mediator.pem", mediatorKey);
        KeyPair executorKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path analystPem = pem("analyst.pem", analystKey);
        Path executorPem = pem("executor.pem", executorKey);
        Path policy = Files.writeString(dir.resolve("policy.yaml"),
                policy(base64(analystKey.getPublic().getEncoded()), base64(executorKey.getPublic().getEncoded())));
        int[] ports = FreePorts.of(3);
        int kafkaPort = ports[0];
        int registryPort = ports[1];
        int httpPort = ports[2];
        String bootstrap = "127.0.0.1:" + kafkaPort;
        String registry = "http://127.0.0.1:" + registryPort;

        Process mediator = startMediator(kafkaPort, registryPort, httpPort, policy, mediatorPem);
        try {
            awaitReady(mediator, httpPort);
            Topics topics = new Topics("agent.", SchemaRegistryClients.forUrl(registry, Map.of()));
            // One of them may start only until shortly after it is sent (counted once the mediator is up, however long it took
            // to start): its decision is read by the executor too late
            Instant expiresAt = Instant.now().plus(EXPIRING_AFTER).truncatedTo(ChronoUnit.MILLIS);
            Path intents = Files.write(dir.resolve("intents.jsonl"), intents(expiresAt));

            // When the Python agent sends them with confluent-kafka's defaults
            ProcessResult agent = python("agent.py", "--bootstrap", bootstrap, "--registry", registry,
                    "--schema", AVRO.resolve("AgentIntent.avsc").toString(), "--intents", intents.toString(),
                    "--sign", "py-analyst=" + analystPem);
            assertThat(agent.exitCode()).as(agent.output()).isZero();

            // Then every intent is decided exactly once
            List<Decision> decisions = decisions(bootstrap, topics, 14);
            Map<String, List<Decision>> byIntent = decisions.stream().collect(Collectors.groupingBy(Decision::getIntentId));
            assertThat(byIntent).hasSize(13);
            assertThat(byIntent).allSatisfy((id, each) -> assertThat(each).as(id).hasSize(id.equals("a-1") ? 2 : 1));
            assertThat(byIntent.get("a-1")).extracting(Decision::getOutcome)
                    .containsExactlyInAnyOrder(DecisionOutcome.EXECUTE, DecisionOutcome.REJECT);
            assertThat(byIntent.get("a-6").get(0).getReasons().get(0).getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED);
            List<Decision> roomOne = List.of(byIntent.get("p-1").get(0), byIntent.get("b-1").get(0));
            assertThat(roomOne).extracting(Decision::getOutcome)
                    .containsExactlyInAnyOrder(DecisionOutcome.EXECUTE, DecisionOutcome.ESCALATE);
            assertThat(roomOne).filteredOn(d -> d.getOutcome() == DecisionOutcome.ESCALATE).singleElement()
                    .satisfies(d -> assertThat(d.getReasons()).extracting(r -> r.getCode()).contains(ReasonCode.RESOURCE_CONFLICT));
            // A booking of room:Å spelled decomposed (an A and a combining ring), which the ledger would have taken for another
            // room than room:Å in NFC, is refused, naming the form to send
            assertThat(byIntent.get("b-3")).singleElement().satisfies(d -> {
                assertThat(d.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
                assertThat(d.getReasons()).singleElement().satisfies(r -> assertThat(r.getMessage()).contains("not in Unicode normalization form C",
                        "send \"room:\\u00C5\""));
            });
            List<Decision> executed = decisions.stream().filter(d -> d.getOutcome() == DecisionOutcome.EXECUTE).toList();
            assertThat(executed).hasSize(10);
            assertThat(byIntent.get("e-1")).singleElement().satisfies(d -> assertThat(d.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE));

            // When a forged decision joins them, records that are no intent (which the mediator dead-letters) follow the intents,
            // and the Python executor runs
            Decision escalated = roomOne.stream().filter(d -> d.getOutcome() == DecisionOutcome.ESCALATE).findFirst().orElseThrow();
            forge(bootstrap, topics, executed.get(0), escalated);
            unreadableIntents(bootstrap, topics);
            sleepUntil(expiresAt);
            // (trusting a second key besides the mediator's, as during a rotation)
            String[] executorArguments = {"--bootstrap", bootstrap, "--registry", registry,
                    "--outcome-schema", AVRO.resolve("Outcome.avsc").toString(),
                    "--mediator-public-key", base64(mediatorKey.getPublic().getEncoded()),
                    "--mediator-public-key", "next=" + base64(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded()),
                    "--executor-id", "python-executor", "--executor-key", executorPem.toString(),
                    "--journal", dir.resolve("executor.journal").toString(),
                    "--actual-cost", String.valueOf(ACTUAL), "--expect", "12", "--timeout", "90"};
            ProcessResult executor = python("executor.py", executorArguments);

            // Then it verified every real decision and its intent's digest, refused the forged one and the escalation (signed,
            // but no order to execute), and reported the real ones: carried out, but for the one read after its expiresAt
            List<JsonNode> lines = executor.output().lines().filter(l -> l.startsWith("{")).map(JsonText::parse).toList();
            assertThat(lines).as(executor.output()).hasSize(12);
            List<JsonNode> carriedOut = lines.stream().filter(l -> l.has("digestMatches")).toList();
            assertThat(carriedOut).extracting(l -> l.get("intentId").asText())
                    .containsExactlyInAnyOrderElementsOf(executed.stream().map(Decision::getIntentId).toList());
            assertThat(carriedOut).allSatisfy(l -> assertThat(l.get("digestMatches").asBoolean()).isTrue());
            assertThat(carriedOut).allSatisfy(l -> assertThat(l.get("reported").asText()).as(l.toString())
                    .isEqualTo(l.get("intentId").asText().equals("e-1") ? "FAILED" : "COMPLETED"));
            assertThat(lines).filteredOn(l -> !l.get("verified").asBoolean()).singleElement()
                    .satisfies(l -> assertThat(l.get("intentId").asText()).isEqualTo("forged-1"));
            assertThat(lines).filteredOn(l -> l.get("verified").asBoolean() && !l.has("digestMatches")).singleElement()
                    .satisfies(l -> assertThat(l.get("outcome").asText()).isEqualTo("ESCALATE"))
                    .satisfies(l -> assertThat(l.get("intentId").asText()).isEqualTo(escalated.getIntentId()));
            assertThat(executor.exitCode()).as("the executor says a decision did not verify").isEqualTo(1);

            // When it is restarted on its journal, and reads the same decisions again
            ProcessResult restarted = python("executor.py", executorArguments);

            // Then it carries out nothing again and sends no outcome again, not even FAILED for what expired since it was done
            List<JsonNode> again = restarted.output().lines().filter(l -> l.startsWith("{")).map(JsonText::parse).toList();
            assertThat(again).as(restarted.output()).filteredOn(l -> l.has("digestMatches")).hasSize(executed.size())
                    .allSatisfy(l -> assertThat(l.get("reported").asText()).isEqualTo("before"));
            assertThat(KafkaTestClients.readCommitted(bootstrap, List.of("agent.outcomes"), executed.size() + 1, Duration.ofSeconds(5)))
                    .hasSize(executed.size());

            // And its outcomes, bound to their intents as the policy requires, settle each agent's one budget: the actual cost of
            // what it carried out, nothing for the expired booking (its reservation released), and the escalated booking stays
            // reserved
            for (String agentId : List.of("py-analyst", "py-planner", "py-booker")) {
                long executedByAgent = executed.stream().filter(d -> d.getAgentId().equals(agentId) && !d.getIntentId().equals("e-1"))
                        .count();
                long escalatedByAgent = roomOne.stream()
                        .filter(d -> d.getAgentId().equals(agentId) && d.getOutcome() == DecisionOutcome.ESCALATE).count();
                awaitSettled(httpPort, agentId, executedByAgent * ACTUAL, escalatedByAgent * COST / 10);
            }
        } finally {
            stop(mediator);
        }
    }

    /** The executor's own tests (restarts on its journal, records under the same id, a key rotation), with Debian's python3. */
    @Test
    void theExampleExecutorsOwnTestsPass() throws Exception {
        ProcessResult tests = python("test_executor.py");

        assertThat(tests.exitCode()).as(tests.output()).isZero();
        assertThat(tests.output()).contains("OK");
    }

    private static String policy(String analystPublicKey, String executorPublicKey) {
        return """
                version: "python-it-1"
                defaults: { minConfidence: 0.5, conflictTier: MANAGER }
                tiers: [MANAGER]
                agents:
                  - id: py-analyst
                    publicKey: "%s"
                    capabilities: { actions: ["*"], targets: ["*"] }
                    budgets: [ { window: MONTH, limitMicros: %d } ]
                    pool: py-team
                  - id: py-planner
                    capabilities: { actions: ["*"], targets: ["*"] }
                    budgets: [ { window: MONTH, limitMicros: 100000000 } ]
                    pool: py-team
                  - id: py-booker
                    capabilities: { actions: ["*"], targets: ["*"] }
                    budgets: [ { window: MONTH, limitMicros: 100000000 } ]
                    pool: py-team
                pools:
                  - { id: py-team, budgets: [ { window: MONTH, limitMicros: 1000000000 } ] }
                executors:
                  - { id: python-executor, publicKey: "%s", agents: ["py-*"] }
                signatures: { intentSha256: REQUIRED }
                """.formatted(analystPublicKey, 5 * COST, executorPublicKey);
    }

    /**
     * Six signed intents of py-analyst (the sixth over its budget) and a retry of the first; three
     * room bookings of py-planner and three of py-booker, one of them for py-planner's first room and hour, and one of a
     * room whose name is not in Unicode NFC (an escape in the JSON, as json.loads decodes it); and a booking of py-planner's
     * that may start only until {@code expiresAt}.
     */
    private static List<String> intents(Instant expiresAt) {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            lines.add(intent("a-" + i, "py-analyst", "report.generate", "erp", COST, ""));
        }
        lines.add(intent("a-1", "py-analyst", "report.generate", "erp", COST, ""));
        for (int i = 1; i <= 3; i++) {
            lines.add(intent("p-" + i, "py-planner", "room.book", "calendar", COST / 10, claim("room:" + i, "09:00", "10:00")));
        }
        lines.add(intent("b-1", "py-booker", "room.book", "calendar", COST / 10, claim("room:1", "09:30", "10:30")));
        lines.add(intent("b-2", "py-booker", "room.book", "calendar", COST / 10, claim("room:9", "09:00", "10:00")));
        lines.add(intent("b-3", "py-booker", "room.book", "calendar", COST / 10, claim("room:A\\u030A", "09:00", "10:00")));
        lines.add(intent("e-1", "py-planner", "room.book", "calendar", COST / 10,
                claim("room:7", "09:00", "10:00") + ",\"expiresAt\":\"" + expiresAt + "\""));
        return lines;
    }

    private static String intent(String id, String agent, String action, String target, long cost, String claims) {
        return "{\"intentId\":\"%s\",\"agentId\":\"%s\",\"action\":\"%s\",\"target\":\"%s\",\"costMicros\":%d,\"confidence\":0.9%s}"
                .formatted(id, agent, action, target, cost, claims);
    }

    /** A room on a day far ahead, so no housekeeping drops the hold while the test runs. */
    private static String claim(String room, String from, String until) {
        return ",\"claims\":[{\"resourceId\":\"%s\",\"quantity\":1,\"from\":\"2099-01-05T%s:00Z\",\"until\":\"2099-01-05T%s:00Z\"}]"
                .formatted(room, from, until);
    }

    private Process startMediator(int kafkaPort, int registryPort, int httpPort, Path policy, Path signingKey) throws IOException {
        assertThat(JAR).as("the shipped jar (failsafe runs after package)").exists();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toString(), "run", "--embedded");
        Map<String, String> env = builder.environment();
        env.put("MEDIATOR_EMBEDDED_PORT", String.valueOf(kafkaPort));
        env.put("MEDIATOR_EMBEDDED_REGISTRY_PORT", String.valueOf(registryPort));
        env.put("MEDIATOR_HTTP_PORT", String.valueOf(httpPort));
        env.put("MEDIATOR_POLICY_FILE", policy.toString());
        env.put("MEDIATOR_SIGNING_KEY_FILE", signingKey.toString());
        env.put("MEDIATOR_STATE_DIR", dir.resolve("state").toString());
        env.put("MEDIATOR_TOPIC_PARTITIONS", String.valueOf(PARTITIONS));
        return builder.redirectErrorStream(true).redirectOutput(dir.resolve("mediator.log").toFile()).start();
    }

    private void awaitReady(Process mediator, int httpPort) throws Exception {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() - giveUpAt < 0) {
            assertThat(mediator.isAlive()).as("the mediator exited: %s", log()).isTrue();
            try {
                if (HttpGet.get(httpPort, "/health/ready").statusCode() == 200) {
                    String printed = Files.readString(dir.resolve("mediator.log"));
                    assertThat(printed).contains("embedded Kafka broker at 127.0.0.1:", "schema registry at http://127.0.0.1:");
                    return;
                }
            } catch (IOException notListeningYet) {
                // the HTTP endpoints open only once the broker and the topics are there
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the mediator was not ready in 120 s: " + log());
    }

    private String log() throws IOException {
        String log = Files.readString(dir.resolve("mediator.log"));
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    private static void stop(Process mediator) throws InterruptedException {
        mediator.destroy();
        if (!mediator.waitFor(60, TimeUnit.SECONDS)) {
            mediator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record ProcessResult(int exitCode, String output) {}

    private ProcessResult python(String script, String... args) throws Exception {
        assertThat(PYTHON).as("Debian's python3 (.ci/run installs it with python3-confluent-kafka python3-avro python3-cryptography)")
                .exists();
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), EXAMPLES.resolve(script).toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, script, ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(150, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish: " + Files.readString(output));
        }
        return new ProcessResult(process.exitValue(), Files.readString(output));
    }

    private static List<Decision> decisions(String bootstrap, Topics topics, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommitted(bootstrap,
                topics.decisions().stream().map(t -> t.name()).toList(), expected, Duration.ofSeconds(90));
        return records.stream().map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
    }

    /** On the execute topic, as a writer the ACLs let through would: a real decision under another id, and an escalation as signed. */
    private static void forge(String bootstrap, Topics topics, Decision real, Decision escalated) throws Exception {
        Decision forged = Decision.newBuilder(real).setIntentId("forged-1").build();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrap)) {
            for (Decision decision : List.of(forged, escalated)) {
                producer.send(new ProducerRecord<>(topics.execute().name(), decision.getAgentId().getBytes(StandardCharsets.UTF_8),
                        topics.execute().valueSerde().serializer().serialize(topics.execute().name(), decision))).get();
            }
        }
    }

    /** What a mistaken agent may put on agent.intents: JSON, as kcat sends it; no value; three bytes; an id no registry has. */
    private static void unreadableIntents(String bootstrap, Topics topics) throws Exception {
        byte[] key = "py-analyst".getBytes(StandardCharsets.UTF_8);
        List<byte[]> values = new ArrayList<>();
        values.add("{\"intentId\":\"json-1\",\"agentId\":\"py-analyst\"}".getBytes(StandardCharsets.UTF_8));
        values.add(null);
        values.add(new byte[] {0, 0, 1});
        values.add(new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 'x'});
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrap)) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topics.intents().name(), key, value)).get();
            }
        }
    }

    private static void sleepUntil(Instant instant) throws InterruptedException {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis >= 0) {
            Thread.sleep(millis + 1);
        }
    }

    private static void awaitSettled(int httpPort, String agentId, long spent, long reserved) throws Exception {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() - giveUpAt < 0) {
            HttpResponse<String> response = HttpGet.get(httpPort, "/agents/" + agentId + "/budgets");
            last = response.body();
            if (response.statusCode() == 200) {
                JsonNode window = JsonText.parse(last).get("windows").get(0);
                if (window.get("spentMicros").asLong() == spent && window.get("reservedMicros").asLong() == reserved) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError(agentId + " did not settle to spent=" + spent + ", reserved=" + reserved + ": " + last);
    }

    private Path pem(String name, KeyPair key) throws IOException {
        return TestKeys.pemFile(dir.resolve(name), key.getPrivate());
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** librdkafka's default partitioner for a keyed record: CRC32 of the key bytes. */
    private static int crc32Partition(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % PARTITIONS);
    }

    private static int murmur2Partition(String key) {
        return new KeyPartitioning(PARTITIONS).partitionOf(key.getBytes(StandardCharsets.UTF_8));
    }
}
